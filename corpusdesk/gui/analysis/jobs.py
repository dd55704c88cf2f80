"""The word-list and keyword jobs, run in a job process of their own (imports no Qt).

Counting thousands of articles is Python work of seconds: in a job process
(:mod:`corpusdesk.gui.job_process`) it never holds up the window's event loop, reports its
progress and stops when cancelled, like an export. The job also finds what the window would
otherwise have to ask the library for (the reference's articles, the library's languages), and
only the finished list, a small record, comes back.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from corpusdesk.analysis.frequency import FrequencyList
from corpusdesk.analysis.keyness import KeywordList
from corpusdesk.analysis.runs import (
    FrequencyRequest,
    KeywordRequest,
    rest_of_library,
    run_frequency,
    run_keywords,
)
from corpusdesk.gui.job_child import Channel, Job
from corpusdesk.library.library import Library


def library_languages(library: Library) -> tuple[str, ...]:
    """The languages of the library's articles (for their stop words)."""
    return tuple(code for code, _ in library.summary().languages if code)


@dataclass(frozen=True, slots=True)
class FrequencyJob(Job):
    """Draw up a word or n-gram list; with ``library_stop_words``, leaving out the stop words
    of every language the library holds."""

    request: FrequencyRequest
    library_stop_words: bool = False

    noun = "word list"

    def run(self, library: Library, channel: Channel) -> FrequencyList:
        request = self.request
        if self.library_stop_words:
            request = dataclasses.replace(request, stop_languages=library_languages(library))
        return run_frequency(
            request, library.iter_analysis_texts, channel.progress, channel.cancelled
        )


@dataclass(frozen=True, slots=True)
class KeywordOutcome:
    """A keyword list and what its reference was."""

    keywords: KeywordList
    reference: str


@dataclass(frozen=True, slots=True)
class KeywordsJob(Job):
    """Draw up a keyword list against ``reference_query``'s articles, or the rest of the
    library (a sample of it, see ``rest_of_library``) when that is None."""

    request: KeywordRequest
    reference_query: str | None = None
    reference_name: str = ""
    library_stop_words: bool = False

    noun = "keyword list"

    def run(self, library: Library, channel: Channel) -> KeywordOutcome:
        if self.reference_query is None:
            reference, others = rest_of_library(library.search_ids(""), self.request.ids)
            sampled = f", a random sample of {len(reference):,}" if len(reference) < others else ""
            described = f"the rest of the library ({others:,} articles{sampled})"
        else:
            reference = tuple(library.search_ids(self.reference_query))
            described = (
                f"{self.reference_name or self.reference_query} ({len(reference):,} articles)"
            )
        request = dataclasses.replace(self.request, reference_ids=reference)
        if self.library_stop_words:
            request = dataclasses.replace(request, stop_languages=library_languages(library))
        found = run_keywords(
            request, library.iter_analysis_texts, channel.progress, channel.cancelled
        )
        return KeywordOutcome(found, described)

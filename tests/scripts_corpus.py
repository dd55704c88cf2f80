"""Short news pages in Chinese, Japanese, Korean, Thai and English, written for the tests.

Each page is a saved article page as a site would serve it: ``<title>`` with the site's name
after a separator of its script, OpenGraph and author metadata, a template around the article.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class NewsPage:
    """One page: what it says, and how the page around it is made."""

    name: str
    language: str
    title: str
    page_title: str
    site: str
    author: str
    paragraphs: tuple[str, ...]

    @property
    def text(self) -> str:
        """The article text as corpusdesk stores it."""
        return "\n\n".join(self.paragraphs)

    def html(self) -> str:
        """The saved page."""
        body = "\n".join(f"<p>{paragraph}</p>" for paragraph in self.paragraphs)
        return f"""<!DOCTYPE html>
<html lang="{self.language}"><head><meta charset="utf-8">
<title>{self.page_title}</title>
<meta property="og:site_name" content="{self.site}">
<meta name="author" content="{self.author}">
<meta property="article:published_time" content="2024-01-05T09:00:00+08:00">
<link rel="canonical" href="https://news.example/{self.name}">
</head><body>
<header><nav><a href="/">{self.site}</a> <a href="/a">•</a> <a href="/b">•</a></nav></header>
<main><article>
<h1>{self.title}</h1>
{body}
</article></main>
<footer>© 2024 {self.site}</footer>
</body></html>
"""


BEIJING = NewsPage(
    name="beijing-metro",
    language="zh-CN",
    title="北京地铁新线路今日开通运营",
    page_title="北京地铁新线路今日开通运营｜华北日报",
    site="华北日报",
    author="王晓明",
    paragraphs=(
        "本报北京12月28日电（记者王晓明）北京地铁十七号线北段今天上午正式开通运营，沿线居民的"
        "出行时间将大幅缩短。市交通委员会表示，新线路全长约二十公里，共设九座车站。",
        "据介绍，该线路采用全自动驾驶系统，高峰时段发车间隔不超过三分钟。运营公司在各车站增派"
        "了工作人员，引导乘客熟悉新的换乘通道。",
        "不少市民一早便来到车站体验。家住昌平区的李女士说：“以前进城上班要换乘两次，现在一趟"
        "车就能到，非常方便。”专家认为，新线路将有效缓解城北地区的交通压力。",
    ),
)
TOKYO = NewsPage(
    name="tokyo-library",
    language="ja",
    title="東京都、来年度から図書館の開館時間を延長",
    page_title="東京都、来年度から図書館の開館時間を延長 - 東都新聞",
    site="東都新聞",
    author="佐藤花子",
    paragraphs=(
        "東京都は二十日、来年度から都立図書館の開館時間を午後十時まで延長すると発表した。仕事"
        "帰りの利用者を増やすことが狙いで、全国でも珍しい取り組みとなる。",
        "都の担当者によると、延長に伴う人件費はおよそ三億円に上る見通しだ。夜間は自習室の予約"
        "制を導入し、混雑を避ける方針だという。",
        "利用者からは歓迎の声が上がる一方、職員の負担増を心配する意見も出ている。都は今後、利"
        "用状況を見ながら開館時間をさらに見直す考えだ。",
    ),
)
SEOUL = NewsPage(
    name="seoul-night-bus",
    language="ko",
    title="서울시, 내년부터 심야 버스 노선 확대",
    page_title="서울시, 내년부터 심야 버스 노선 확대 - 한강일보",
    site="한강일보",
    author="김민준",
    paragraphs=(
        "서울시는 내년부터 심야 버스 노선을 열두 개에서 스무 개로 늘린다고 밝혔다. 늦은 시간 "
        "귀가하는 시민들의 교통 불편을 줄이기 위한 조치다.",
        "시 관계자는 새 노선이 주로 지하철이 끊긴 뒤 이용객이 많은 지역을 중심으로 운행될 "
        "것이라고 설명했다. 배차 간격은 평균 이십 분으로 정해졌다.",
        "시민들은 대체로 환영하는 분위기다. 강남구에 사는 한 직장인은 야근이 잦은데 택시비 "
        "부담이 줄어들 것 같다고 말했다.",
    ),
)
BANGKOK = NewsPage(
    name="bangkok-bike-lane",
    language="th",
    title="กรุงเทพฯ เปิดเส้นทางจักรยานใหม่ริมแม่น้ำเจ้าพระยา",
    page_title="กรุงเทพฯ เปิดเส้นทางจักรยานใหม่ริมแม่น้ำเจ้าพระยา - ข่าวเจ้าพระยา",
    site="ข่าวเจ้าพระยา",
    author="สมชาย ใจดี",
    paragraphs=(
        "กรุงเทพมหานครเปิดเส้นทางจักรยานสายใหม่ริมแม่น้ำเจ้าพระยาอย่างเป็นทางการเมื่อวันจันทร์"
        "ที่ผ่านมา เส้นทางนี้มีความยาวประมาณสิบสองกิโลเมตร",
        "ผู้ว่าราชการกรุงเทพมหานครกล่าวว่า โครงการนี้จะช่วยลดปัญหาการจราจรและส่งเสริมการท่องเที่ยว"
        "ในพื้นที่ริมน้ำ ประชาชนสามารถใช้เส้นทางได้ตั้งแต่เวลาหกโมงเช้าถึงสี่ทุ่ม",
        "นักปั่นจักรยานหลายคนแสดงความพอใจกับเส้นทางใหม่ แต่บางส่วนยังกังวลเรื่องความปลอดภัยในช่วงกลางคืน",
    ),
)
SHANGHAI_BRIEF = NewsPage(
    name="shanghai-cold-wave",
    language="zh-CN",
    title="上海发布寒潮蓝色预警",
    page_title="上海发布寒潮蓝色预警_东方快讯",
    site="东方快讯",
    author="陈静",
    paragraphs=(
        "新华社上海1月5日电 上海市气象台今天上午发布寒潮蓝色预警并提醒市民注意防寒保暖，预计未"
        "来两天受强冷空气影响全市最低气温将降至零下三摄氏度左右并伴有六到七级偏北大风。有关部门已"
        "经启动应急预案并对全市供水管道和道路桥梁进行全面检查以确保城市运行平稳有序，各区也开放了"
        "临时避寒场所为有需要的人员提供热水和食物。市教委要求各中小学做好校园设施防冻工作并视情况"
        "调整户外活动安排，农业部门提醒菜农及时加固大棚以防止蔬菜受冻减产。交通部门表示将加强对高"
        "架道路和桥梁的巡查并在出现结冰时及时撒布融雪剂保障道路畅通，气象专家建议市民关注最新天气"
        "预报并合理安排出行计划，老人和儿童应尽量减少不必要的外出活动。",
    ),
)
"""A one-paragraph brief of about 300 characters in long clauses: fewer than 15 runs of
letters between punctuation marks, but an article."""
HARBOUR = NewsPage(
    name="harbour-ferry",
    language="en",
    title="Harbour ferry returns after the winter storms",
    page_title="Harbour ferry returns after the winter storms | Coast Courier",
    site="Coast Courier",
    author="Nell Marsh",
    paragraphs=(
        "The harbour ferry to the islands returned to its full timetable on Monday, six weeks "
        "after the winter storms damaged the landing stages at both ends of the crossing.",
        "Engineers from the port authority rebuilt the northern pier in record time, the ferry "
        "operator said, and passengers from Beijing and Tokyo were among the first on board.",
        "Islanders welcomed the return of the service, which carries schoolchildren, nurses and "
        "supplies, and asked the council to plan for the next storm season now.",
    ),
)
CORPUS = (BEIJING, TOKYO, SEOUL, BANGKOK, SHANGHAI_BRIEF, HARBOUR)


def write_pages(folder: Path) -> dict[str, Path]:
    """Save every page of the corpus in ``folder``; page name → file."""
    paths: dict[str, Path] = {}
    for page in CORPUS:
        path = folder / f"{page.name}.html"
        path.write_text(page.html(), encoding="utf-8")
        paths[page.name] = path
    return paths

#!/bin/sh
# Install corpusdesk for the current user, from the unpacked tarball this script sits in.
#
#   ./install.sh
#
# Puts the app in ~/.local/lib/corpusdesk, a `corpusdesk` command in ~/.local/bin, and the
# menu entry, icon and metainfo under ~/.local/share (XDG_DATA_HOME if set). corpusdesk then
# appears in the applications menu and under "Open With" for web pages and MHTML archives;
# it does not become the default program for them. Running it again updates the app.
# Needs no administrator rights and nothing but a POSIX shell and coreutils; the desktop's
# caches are refreshed where their tools exist. Libraries, settings and logs are not touched.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
data_home=${XDG_DATA_HOME:-$HOME/.local/share}
app_dir=$HOME/.local/lib/corpusdesk
bin_dir=$HOME/.local/bin
applications=$data_home/applications
icons=$data_home/icons/hicolor
metainfo=$data_home/metainfo
metainfo_file=io.github.corpusdesk.corpusdesk.metainfo.xml

if [ ! -x "$here/corpusdesk/corpusdesk" ]; then
    echo "install.sh: run me from the unpacked corpusdesk folder (no corpusdesk/corpusdesk here)" >&2
    exit 1
fi

echo "Installing corpusdesk into $app_dir"
mkdir -p "$HOME/.local/lib" "$bin_dir" "$applications" "$icons/scalable/apps" \
    "$icons/256x256/apps" "$metainfo"
# Copy first, then swap: a failed copy leaves the installed version as it was.
rm -rf "$app_dir.new"
cp -R "$here/corpusdesk" "$app_dir.new"
cp "$here/uninstall.sh" "$app_dir.new/uninstall.sh"
rm -rf "$app_dir"
mv "$app_dir.new" "$app_dir"

# The command: a two-line script running the installed program, its path single-quoted.
quoted_app=$(printf '%s' "$app_dir/corpusdesk" | sed "s/'/'\\\\''/g")
printf '#!/bin/sh\nexec '\''%s'\'' "$@"\n' "$quoted_app" > "$bin_dir/corpusdesk"
chmod 755 "$bin_dir/corpusdesk"

# The desktop entry's Exec names the installed program by its full path, quoted as the
# Desktop Entry Specification asks: a backslash becomes four, " ` $ get two before them, and
# % is doubled (so a home folder with spaces or odd characters works).
quoted_exec=$(printf '%s' "$app_dir/corpusdesk" |
    sed -e 's/\\/\\\\\\\\/g' -e 's/["`$]/\\\\&/g' -e 's/%/%%/g')
while IFS= read -r line; do
    case $line in
        Exec=*) printf 'Exec="%s" %%F\n' "$quoted_exec" ;;
        *) printf '%s\n' "$line" ;;
    esac
done < "$here/share/applications/corpusdesk.desktop" > "$applications/corpusdesk.desktop"
chmod 644 "$applications/corpusdesk.desktop"
cp "$here/share/icons/hicolor/scalable/apps/corpusdesk.svg" "$icons/scalable/apps/corpusdesk.svg"
cp "$here/share/icons/hicolor/256x256/apps/corpusdesk.png" "$icons/256x256/apps/corpusdesk.png"
cp "$here/share/metainfo/$metainfo_file" "$metainfo/$metainfo_file"

# Refresh what desktops read: the MIME → application cache behind "Open With", the menu
# and the icon cache. Each tool is optional: without it the desktop finds the files itself.
if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$applications" || true
fi
if command -v xdg-desktop-menu >/dev/null 2>&1; then
    xdg-desktop-menu forceupdate >/dev/null 2>&1 || true
fi
if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$icons/index.theme" ]; then
    gtk-update-icon-cache -q -t -f "$icons" || true
fi
echo "Installed corpusdesk $("$app_dir/corpusdesk" --version 2>/dev/null | sed 's/^corpusdesk //')."
echo "Start it from your applications menu, or run: corpusdesk"
case ":$PATH:" in
    *":$bin_dir:"*) ;;
    *) echo "Note: $bin_dir is not on your PATH; add it to run 'corpusdesk' from a terminal." ;;
esac
echo "To remove it: $app_dir/uninstall.sh"

#!/bin/sh
# Remove corpusdesk as install.sh installed it for the current user.
#
#   ~/.local/lib/corpusdesk/uninstall.sh      (or ./uninstall.sh in the unpacked tarball)
#
# Your libraries, their backups, the settings and the logs stay where they are; the message
# at the end says where, for removing them by hand.
set -eu

data_home=${XDG_DATA_HOME:-$HOME/.local/share}
app_dir=$HOME/.local/lib/corpusdesk
applications=$data_home/applications

remove() {
    for path in "$@"; do
        if [ -e "$path" ] || [ -L "$path" ]; then
            rm -rf "$path"
            echo "removed $path"
        fi
    done
}

# The command is ours only if it is the script install.sh wrote.
if grep -qsF "$app_dir/corpusdesk" "$HOME/.local/bin/corpusdesk"; then
    remove "$HOME/.local/bin/corpusdesk"
fi
remove "$applications/corpusdesk.desktop" \
    "$data_home/icons/hicolor/scalable/apps/corpusdesk.svg" \
    "$data_home/icons/hicolor/256x256/apps/corpusdesk.png" \
    "$data_home/metainfo/io.github.corpusdesk.corpusdesk.metainfo.xml" \
    "$app_dir"

if command -v update-desktop-database >/dev/null 2>&1 && [ -d "$applications" ]; then
    update-desktop-database -q "$applications" || true
fi
if command -v xdg-desktop-menu >/dev/null 2>&1; then
    xdg-desktop-menu forceupdate >/dev/null 2>&1 || true
fi

echo "corpusdesk is uninstalled. Your data was kept:"
echo "  libraries and backups: $data_home/corpusdesk (and any library you made elsewhere)"
echo "  settings: ${XDG_CONFIG_HOME:-$HOME/.config}/corpusdesk"
echo "  logs: ${XDG_STATE_HOME:-$HOME/.local/state}/corpusdesk/log"

#!/bin/sh
# Print the path of a Python >= 3.12 found on this machine, or explain and fail.
# Order: $PYTHON if set, python3.12/3.13/3.14 on PATH, python3, then pyenv and /usr/local installs
# (pyenv shims exist for versions that are installed but not activated, so each is tried for real).
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }
for cand in ${PYTHON:-} python3.12 python3.13 python3.14 python3 \
    "$HOME"/.pyenv/versions/3.12*/bin/python3 "$HOME"/.pyenv/versions/3.13*/bin/python3 \
    /usr/local/bin/python3.12 /usr/local/bin/python3.13 /usr/bin/python3.12 /usr/bin/python3.13; do
  [ -n "$cand" ] || continue
  if ok "$cand"; then
    command -v "$cand" 2>/dev/null || echo "$cand"
    exit 0
  fi
done
echo "hsmobility needs Python 3.12 or newer (Mesa 3.4+ requires it) and found none." >&2
echo "Install one (e.g. 'pyenv install 3.12' or 'apt-get install python3.12') or set PYTHON=/path/to/python3.12." >&2
exit 1

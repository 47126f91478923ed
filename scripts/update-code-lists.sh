#!/bin/sh
# Rewrites the CARC and RARC code lists (crates/payerlex/src/facts/code_lists/{carc,rarc}.txt)
# from the X12 CSV exports, keeping the codes only: the descriptions are X12's wording.
#
# Usage: scripts/update-code-lists.sh CARC_FILE RARC_FILE
#   Each file is an X12 CSV export (Code,Description; quoted descriptions may span lines and
#   carry "Start: / Last Modified: / Stop: MM/DD/YYYY"), or any file with the codes in the
#   first column. Rows whose first column is not shaped like a code (headers) are skipped;
#   codes with a Stop date on or before the cut-off day are retired and left out.
# Environment (all optional):
#   CODE_LIST_DATE    cut-off day YYYY-MM-DD (default: today, UTC)
#   CODE_LIST_SOURCE  text for the "# Source:" header (default: the input file's name)
#   CODE_LISTS_DIR    output folder (default: the crate's code_lists folder)
set -eu
[ $# -eq 2 ] || { echo "usage: $0 CARC_FILE RARC_FILE" >&2; exit 2; }
day=${CODE_LIST_DATE:-$(date -u +%Y-%m-%d)}
out=${CODE_LISTS_DIR:-$(dirname "$0")/../crates/payerlex/src/facts/code_lists}

# extract KIND FILE: prints the file's unretired codes of KIND (carc|rarc), one a line, sorted
# (codes without letters numerically first, then by letters and number: 1 2 ... 305 A0 ... P32;
# M1 ... M144 MA01 ... N940).
extract() {
  LC_ALL=C awk -v kind="$1" -v cutoff="$(echo "$day" | tr -d -)" '
    function shaped(c) {
      if (kind == "carc") return (c ~ /^[0-9]+$/ || c ~ /^[A-Z][0-9]+$/) && length(c) <= 3
      return c ~ /^(M|MA|N)[0-9]+$/ && length(c) <= 6
    }
    function finish(   s, d) {
      if (code == "" || !shaped(code)) return
      if (match(text, /Stop: *[0-9][0-9]\/[0-9][0-9]\/[0-9][0-9][0-9][0-9]/)) {
        s = substr(text, RSTART + RLENGTH - 10, 10)
        d = substr(s, 7, 4) substr(s, 1, 2) substr(s, 4, 2)
        if (d <= cutoff) { retired++; return }
      }
      if (!seen[code]++) {
        letters = code; sub(/[0-9]+$/, "", letters)
        print (letters == "" ? 0 : 1), (letters == "" ? "-" : letters), substr(code, length(letters) + 1) + 0, code
      }
    }
    { sub(/\r$/, "") }
    NR == 1 { sub(/^\357\273\277/, "") }
    !quoted {
      finish()
      code = $0; sub(/,.*/, "", code); gsub(/[" \t]/, "", code); code = toupper(code)
      text = ""
    }
    { text = text " " $0; if (gsub(/"/, "\"") % 2) quoted = !quoted }
    END { finish(); if (retired) printf "%s: %d retired codes left out\n", kind, retired > "/dev/stderr" }
  ' "$2" | LC_ALL=C sort -k1,1n -k2,2 -k3,3n | cut -d' ' -f4
}

# write KIND FILE TITLE: replaces $out/KIND.txt, refusing a list too short to be a real export.
write() {
  tmp="$out/.$1.txt.tmp"
  extract "$1" "$2" > "$tmp.codes"
  n=$(wc -l < "$tmp.codes" | tr -d ' ')
  if [ "$n" -lt 100 ]; then
    rm -f "$tmp.codes"
    echo "$2: only $n $1 codes found; is this the right export?" >&2
    exit 1
  fi
  {
    echo "# $3 Codes only: the descriptions are X12's wording."
    echo "# Source: ${CODE_LIST_SOURCE:-$(basename "$2")}"
    echo "# In effect on $day: codes with a Stop date on or before that day are left out. $n codes."
    echo "# Regenerate with scripts/update-code-lists.sh (see README.md next to this file)."
    cat "$tmp.codes"
  } > "$tmp"
  rm -f "$tmp.codes"
  mv "$tmp" "$out/$1.txt"
  echo "$out/$1.txt: $n codes" >&2
}

write carc "$1" "CARC: claim adjustment reason codes, X12 external code list 139."
write rarc "$2" "RARC: remittance advice remark codes, X12 external code list 411."

for l in "$@"; do
  [ -f $l-nmt-diff.txt ] || continue
  k=$(grep -o 'K=[0-9]*' $l-bench.log | head -1 | cut -d= -f2)
  b=$(grep -o '[0-9]*' $l-rss-before.txt); a=$(grep -o '[0-9]*' $l-rss-after.txt)
  echo "== $l K=$k RSS ${b}->${a} kB: $(( (a-b)*1024/k )) B/conn; $(cat $l-load.txt)"
  grep -E "^Total" $l-nmt-diff.txt | sed 's/^/   /'
  for cat in "Java Heap" Class Thread Code GC Other Metaspace Symbol "Native Memory Tracking" Internal "Arena Chunk"; do
    line=$(grep -E "^-\s+$cat \(" $l-nmt-diff.txt); c=$(echo "$line" | grep -o 'committed=[0-9]*KB +[0-9]*KB' | grep -o '+[0-9]*' | tr -d +)
    [ -n "$c" ] && echo "   $cat committed +${c} KB = $(( c*1024/k )) B/conn"
  done
  python3 histdiff.py $l-histo-before.txt $l-histo-after.txt $k 0 | head -1
done

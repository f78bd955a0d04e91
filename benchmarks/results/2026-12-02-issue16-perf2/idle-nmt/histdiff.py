import sys,re
def load(p):
    d={}
    for line in open(p):
        m=re.match(r'\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)',line)
        if m: d[m.group(3)]=(int(m.group(1)),int(m.group(2)))
    return d
a=load(sys.argv[1]); b=load(sys.argv[2]); k=int(sys.argv[3])
rows=[]
for c in set(a)|set(b):
    n0,s0=a.get(c,(0,0)); n1,s1=b.get(c,(0,0))
    rows.append((s1-s0,n1-n0,c))
rows.sort(reverse=True)
tot=sum(r[0] for r in rows)
print("total bytes diff %d = %.0f B/conn"%(tot,tot/k))
for s,n,c in rows[:int(sys.argv[4]) if len(sys.argv)>4 else 30]:
    print("%10d %8d %8.1f B/conn %6.2f inst/conn  %s"%(s,n,s/k,n/k,c))

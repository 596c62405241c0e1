#!/usr/bin/env python3
"""Where the bytes of a wasm file go, from its name section (no install needed).

Usage: scripts/wasm-size.py FILE.wasm [top N | crate | gz N | gz REGEX]
"top N" lists the N largest function bodies by demangled name; "crate" sums them by the
first path segment. "gz N" lists the N largest bodies with what each adds to the gzip -9 of
the code section (the code gzipped with and without it), and "gz REGEX" sums that for every
function whose name matches: closer to the download than bytes of code, since gzip shrinks
repetitive code (serde's visitors) far more than the rest.
Run "top" and "crate" on the pre-wasm-opt file (rustc keeps the name section there); for
"gz" use the shipped optimisation with the names kept:
  wasm-bindgen --target web --keep-debug --out-dir /tmp/bg target/wasm32-unknown-unknown/release/kafka-sim.wasm
  wasm-opt -Oz -g /tmp/bg/kafka-sim_bg.wasm -o /tmp/named.wasm
"""
import sys, re, collections, zlib
data=open(sys.argv[1],'rb').read()
def dem(s):
    if not s.startswith('_ZN'): return s
    i=3; parts=[]
    while i<len(s) and s[i].isdigit():
        j=i
        while s[j].isdigit(): j+=1
        n=int(s[i:j]); parts.append(s[j:j+n]); i=j+n
    if parts and re.match(r'h[0-9a-f]{16}$',parts[-1]): parts=parts[:-1]
    t='::'.join(parts)
    for a,b in [('$LT$','<'),('$GT$','>'),('$u20$',' '),('$RF$','&'),('$C$',','),('$u7b$','{'),('$u7d$','}'),('$BP$','*'),('$u5b$','['),('$u5d$',']'),('$u27$',"'"),('$u3b$',';'),('$u21$','!'),('$LP$','('),('$RP$',')'),('..','::'),('$SP$','@')]: t=t.replace(a,b)
    return t
def leb(b,i):
    r=s=0
    while True:
        x=b[i]; i+=1; r|=(x&0x7f)<<s; s+=7
        if x<0x80: return r,i
i=8; nimports=0; bodies=[]; starts=[]; names={}; datasz=0
while i<len(data):
    sid=data[i]; i+=1; sz,i=leb(data,i); end=i+sz
    if sid==2:
        n,j=leb(data,i)
        for _ in range(n):
            l,j=leb(data,j); j+=l; l,j=leb(data,j); j+=l; k=data[j]; j+=1
            if k==0: _,j=leb(data,j); nimports+=1
            elif k==1: j+=1; f=data[j]; j+=1; _,j=leb(data,j); 
            elif k==2: f=data[j]; j+=1; _,j=leb(data,j); 
            elif k==3: j+=2
    elif sid==10:
        n,j=leb(data,i)
        for _ in range(n):
            l,j2=leb(data,j); bodies.append(j2-j+l); starts.append(j); j=j2+l
    elif sid==11: datasz=sz
    elif sid==0:
        l,j=leb(data,i); nm=data[j:j+l].decode(); j+=l
        if nm=='name':
            while j<end:
                t=data[j]; j+=1; ssz,j=leb(data,j); se=j+ssz
                if t==1:
                    n,k=leb(data,j)
                    for _ in range(n):
                        idx,k=leb(data,k); l,k=leb(data,k); names[idx]=dem(data[k:k+l].decode('utf8','replace')); k+=l
                j=se
    i=end
tot=sum(bodies)
print("code",tot,"data",datasz,"funcs",len(bodies))
rows=[(b,names.get(nimports+k,'?%d'%k)) for k,b in enumerate(bodies)]
mode=sys.argv[2] if len(sys.argv)>2 else 'top'
if mode=='top':
    for b,n in sorted(rows,reverse=True)[:int(sys.argv[3]) if len(sys.argv)>3 else 40]:
        try: print(b,n[:160])
        except BrokenPipeError: break
elif mode=='gz':
    code=b''.join(data[s:s+b] for s,b in zip(starts,bodies))
    def gz(b):
        c=zlib.compressobj(9,zlib.DEFLATED,31,9); return len(c.compress(b)+c.flush())
    whole=gz(code); print("code gzip -9",whole)
    arg=sys.argv[3] if len(sys.argv)>3 else '30'
    if arg.isdigit():
        for k in sorted(range(len(bodies)),key=lambda k:-bodies[k])[:int(arg)]:
            rest=b''.join(data[a:a+b] for i,(a,b) in enumerate(zip(starts,bodies)) if i!=k)
            print(bodies[k],whole-gz(rest),names.get(nimports+k,'?')[:150])
    else:
        keep=[k for k in range(len(bodies)) if re.search(arg,names.get(nimports+k,''))]
        drop=set(keep)
        rest=b''.join(data[a:a+b] for i,(a,b) in enumerate(zip(starts,bodies)) if i not in drop)
        print(len(keep),"functions,",sum(bodies[k] for k in keep),"bytes of code, gzip -9 adds",whole-gz(rest))
else:
    agg=collections.Counter(); cnt=collections.Counter()
    for b,n in rows:
        m=re.findall(r'(?:^|[<( ])_?([a-z_][a-z0-9_]*)::',n)
        key=m[0] if m else n[:30]
        agg[key]+=b; cnt[key]+=1
    for k,v in agg.most_common(40): print(v,cnt[k],k)

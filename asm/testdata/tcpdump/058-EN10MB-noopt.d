(000) ld       #pktlen
(001) st       M[0]
(002) ld       #0x3
(003) st       M[1]
(004) ldx      M[1]
(005) ld       M[0]
(006) mod      x
(007) st       M[1]
(008) ld       #0x0
(009) st       M[2]
(010) ldx      M[2]
(011) ld       M[1]
(012) sub      x
(013) jeq      #0x0             jt 14	jf 15
(014) ret      #262144
(015) ret      #0

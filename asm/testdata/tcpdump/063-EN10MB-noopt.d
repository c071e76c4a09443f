(000) ld       #pktlen
(001) st       M[0]
(002) ld       M[0]
(003) neg      
(004) st       M[0]
(005) ld       #0xffffffc4
(006) st       M[1]
(007) ldx      M[1]
(008) ld       M[0]
(009) sub      x
(010) jeq      #0x0             jt 11	jf 12
(011) ret      #262144
(012) ret      #0

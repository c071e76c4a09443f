(000) ld       #pktlen
(001) st       M[0]
(002) ld       #0x40
(003) st       M[1]
(004) ldx      M[1]
(005) ld       M[0]
(006) jgt      x                jt 7	jf 8
(007) ret      #0
(008) ret      #262144

(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 13
(002) ld       #0x8
(003) st       M[0]
(004) ldx      M[0]
(005) ldb      [x + 14]
(006) st       M[1]
(007) ld       #0x5
(008) st       M[2]
(009) ldx      M[2]
(010) ld       M[1]
(011) jge      x                jt 13	jf 12
(012) ret      #262144
(013) ret      #0

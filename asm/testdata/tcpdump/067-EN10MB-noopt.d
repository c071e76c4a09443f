(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 19
(002) ldh      [12]
(003) jeq      #0x800           jt 4	jf 19
(004) ld       #0xc
(005) st       M[0]
(006) ldx      M[0]
(007) ld       [x + 14]
(008) st       M[1]
(009) ld       #0x10
(010) st       M[2]
(011) ldx      M[2]
(012) ld       [x + 14]
(013) st       M[3]
(014) ldx      M[3]
(015) ld       M[1]
(016) sub      x
(017) jeq      #0x0             jt 18	jf 19
(018) ret      #262144
(019) ret      #0

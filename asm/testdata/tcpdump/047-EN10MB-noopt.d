(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 20
(002) ld       #0x6
(003) st       M[0]
(004) ldx      M[0]
(005) ldh      [x + 14]
(006) st       M[1]
(007) ld       #0x1fff
(008) st       M[2]
(009) ldx      M[2]
(010) ld       M[1]
(011) and      x
(012) st       M[2]
(013) ld       #0x0
(014) st       M[3]
(015) ldx      M[3]
(016) ld       M[2]
(017) sub      x
(018) jeq      #0x0             jt 19	jf 20
(019) ret      #262144
(020) ret      #0

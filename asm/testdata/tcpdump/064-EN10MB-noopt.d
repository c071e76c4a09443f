(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 59
(002) ld       #0x2
(003) st       M[0]
(004) ldx      M[0]
(005) ldh      [x + 14]
(006) st       M[1]
(007) ld       #0x0
(008) st       M[2]
(009) ldx      M[2]
(010) ldb      [x + 14]
(011) st       M[3]
(012) ld       #0xf
(013) st       M[4]
(014) ldx      M[4]
(015) ld       M[3]
(016) and      x
(017) st       M[4]
(018) ld       #0x2
(019) st       M[5]
(020) ldx      M[5]
(021) ld       M[4]
(022) lsh      x
(023) st       M[5]
(024) ldx      M[5]
(025) ld       M[1]
(026) sub      x
(027) st       M[5]
(028) ld       #0xc
(029) st       M[6]
(030) ldxb     4*([14]&0xf)
(031) ld       M[6]
(032) add      x
(033) tax      
(034) ldb      [x + 14]
(035) st       M[7]
(036) ld       #0xf0
(037) st       M[8]
(038) ldx      M[8]
(039) ld       M[7]
(040) and      x
(041) st       M[8]
(042) ld       #0x2
(043) st       M[9]
(044) ldx      M[9]
(045) ld       M[8]
(046) rsh      x
(047) st       M[9]
(048) ldx      M[9]
(049) ld       M[5]
(050) sub      x
(051) st       M[9]
(052) ld       #0x0
(053) st       M[10]
(054) ldx      M[10]
(055) ld       M[9]
(056) sub      x
(057) jeq      #0x0             jt 59	jf 58
(058) ret      #262144
(059) ret      #0

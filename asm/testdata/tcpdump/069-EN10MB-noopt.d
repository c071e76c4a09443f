(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 44
(002) ld       #0x9
(003) st       M[0]
(004) ldx      M[0]
(005) ldb      [x + 14]
(006) st       M[1]
(007) ld       #0x6
(008) st       M[2]
(009) ldx      M[2]
(010) ld       M[1]
(011) sub      x
(012) jeq      #0x0             jt 13	jf 44
(013) ldh      [12]
(014) jeq      #0x800           jt 15	jf 44
(015) ldh      [12]
(016) jeq      #0x800           jt 17	jf 19
(017) ldb      [23]
(018) jeq      #0x6             jt 27	jf 19
(019) ldh      [12]
(020) jeq      #0x86dd          jt 21	jf 44
(021) ldb      [20]
(022) jeq      #0x6             jt 27	jf 23
(023) ldb      [20]
(024) jeq      #0x2c            jt 25	jf 44
(025) ldb      [54]
(026) jeq      #0x6             jt 27	jf 44
(027) ldh      [20]
(028) jset     #0x1fff          jt 44	jf 29
(029) ld       #0x2
(030) st       M[2]
(031) ldxb     4*([14]&0xf)
(032) ld       M[2]
(033) add      x
(034) tax      
(035) ldh      [x + 14]
(036) st       M[3]
(037) ld       #0x50
(038) st       M[4]
(039) ldx      M[4]
(040) ld       M[3]
(041) sub      x
(042) jeq      #0x0             jt 43	jf 44
(043) ret      #262144
(044) ret      #0

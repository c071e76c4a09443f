(000) ldb      [0]
(001) and      #0xf0
(002) jeq      #0x40            jt 3	jf 17
(003) ldb      [9]
(004) jeq      #0x11            jt 5	jf 17
(005) ldh      [6]
(006) jset     #0x1fff          jt 17	jf 7
(007) ldxb     4*([0]&0xf)
(008) ldh      [x + 2]
(009) jeq      #0x17c1          jt 10	jf 17
(010) ldxb     4*([0]&0xf)
(011) ldb      [x + 8]
(012) and      #0xc0
(013) jeq      #0x0             jt 14	jf 17
(014) ldxb     4*([0]&0xf)
(015) txa      
(016) jeq      x                jt 30	jf 17
(017) ldb      [0]
(018) and      #0xf0
(019) jeq      #0x60            jt 20	jf 52
(020) ldb      [6]
(021) jeq      #0x11            jt 22	jf 52
(022) ldh      [42]
(023) jeq      #0x17c1          jt 24	jf 52
(024) ldb      [48]
(025) and      #0xc0
(026) jeq      #0x0             jt 27	jf 52
(027) ld       #0x28
(028) tax      
(029) jeq      x                jt 30	jf 52
(030) add      #8
(031) tax      
(032) add      #2
(033) st       M[0]
(034) ldb      [x + 0]
(035) and      #0x3f
(036) mul      #4
(037) add      #8
(038) add      x
(039) st       M[1]
(040) ldh      [x + 2]
(041) ldx      M[1]
(042) jeq      #0x6558          jt 43	jf 48
(043) txa      
(044) add      #12
(045) st       M[0]
(046) add      #2
(047) tax      
(048) stx      M[2]
(049) ld       #0x0
(050) jeq      #0x0             jt 51	jf 52
(051) ret      #262144
(052) ret      #0

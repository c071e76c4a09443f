(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 16
(002) ldb      [23]
(003) jeq      #0x11            jt 4	jf 16
(004) ldh      [20]
(005) jset     #0x1fff          jt 16	jf 6
(006) ldxb     4*([14]&0xf)
(007) ldh      [x + 16]
(008) jeq      #0x17c1          jt 9	jf 16
(009) ldxb     4*([14]&0xf)
(010) ldb      [x + 22]
(011) and      #0xc0
(012) jeq      #0x0             jt 13	jf 16
(013) ldxb     4*([14]&0xf)
(014) txa      
(015) jeq      x                jt 28	jf 16
(016) ldh      [12]
(017) jeq      #0x86dd          jt 18	jf 50
(018) ldb      [20]
(019) jeq      #0x11            jt 20	jf 50
(020) ldh      [56]
(021) jeq      #0x17c1          jt 22	jf 50
(022) ldb      [62]
(023) and      #0xc0
(024) jeq      #0x0             jt 25	jf 50
(025) ld       #0x28
(026) tax      
(027) jeq      x                jt 28	jf 50
(028) add      #22
(029) tax      
(030) add      #2
(031) st       M[0]
(032) ldb      [x + 0]
(033) and      #0x3f
(034) mul      #4
(035) add      #8
(036) add      x
(037) st       M[1]
(038) ldh      [x + 2]
(039) ldx      M[1]
(040) jeq      #0x6558          jt 41	jf 46
(041) txa      
(042) add      #12
(043) st       M[0]
(044) add      #2
(045) tax      
(046) stx      M[2]
(047) ld       #0x0
(048) jeq      #0x0             jt 49	jf 50
(049) ret      #262144
(050) ret      #0

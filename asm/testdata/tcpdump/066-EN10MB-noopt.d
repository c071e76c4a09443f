(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 67
(002) ldh      [12]
(003) jeq      #0x800           jt 4	jf 6
(004) ldb      [23]
(005) jeq      #0x11            jt 14	jf 6
(006) ldh      [12]
(007) jeq      #0x86dd          jt 8	jf 67
(008) ldb      [20]
(009) jeq      #0x11            jt 14	jf 10
(010) ldb      [20]
(011) jeq      #0x2c            jt 12	jf 67
(012) ldb      [54]
(013) jeq      #0x11            jt 14	jf 67
(014) ldh      [20]
(015) jset     #0x1fff          jt 67	jf 16
(016) ld       #0x8
(017) st       M[0]
(018) ldxb     4*([14]&0xf)
(019) ld       M[0]
(020) add      x
(021) tax      
(022) ldh      [x + 14]
(023) st       M[1]
(024) ld       #0x1234
(025) st       M[2]
(026) ldx      M[2]
(027) ld       M[1]
(028) sub      x
(029) jeq      #0x0             jt 30	jf 67
(030) ldh      [12]
(031) jeq      #0x800           jt 32	jf 67
(032) ldh      [12]
(033) jeq      #0x800           jt 34	jf 36
(034) ldb      [23]
(035) jeq      #0x11            jt 44	jf 36
(036) ldh      [12]
(037) jeq      #0x86dd          jt 38	jf 67
(038) ldb      [20]
(039) jeq      #0x11            jt 44	jf 40
(040) ldb      [20]
(041) jeq      #0x2c            jt 42	jf 67
(042) ldb      [54]
(043) jeq      #0x11            jt 44	jf 67
(044) ldh      [20]
(045) jset     #0x1fff          jt 67	jf 46
(046) ld       #0xa
(047) st       M[2]
(048) ldxb     4*([14]&0xf)
(049) ld       M[2]
(050) add      x
(051) tax      
(052) ldb      [x + 14]
(053) st       M[3]
(054) ld       #0x80
(055) st       M[4]
(056) ldx      M[4]
(057) ld       M[3]
(058) and      x
(059) st       M[4]
(060) ld       #0x80
(061) st       M[5]
(062) ldx      M[5]
(063) ld       M[4]
(064) sub      x
(065) jeq      #0x0             jt 66	jf 67
(066) ret      #262144
(067) ret      #0

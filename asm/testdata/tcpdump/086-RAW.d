(000) ldb      [0]
(001) and      #0xf0
(002) jeq      #0x40            jt 3	jf 19
(003) ldb      [9]
(004) jeq      #0x6             jt 5	jf 33
(005) ldh      [6]
(006) jset     #0x1fff          jt 33	jf 7
(007) ldxb     4*([0]&0xf)
(008) ldh      [x + 0]
(009) jeq      #0x50            jt 16	jf 10
(010) jeq      #0x1bb           jt 16	jf 11
(011) jeq      #0x1f90          jt 16	jf 12
(012) ldh      [x + 2]
(013) jeq      #0x50            jt 16	jf 14
(014) jeq      #0x1bb           jt 16	jf 15
(015) jeq      #0x1f90          jt 16	jf 33
(016) ld       [12]
(017) and      #0xff000000
(018) jeq      #0xa000000       jt 33	jf 32
(019) ldb      [0]
(020) and      #0xf0
(021) jeq      #0x60            jt 22	jf 33
(022) ldb      [6]
(023) jeq      #0x6             jt 24	jf 33
(024) ldh      [40]
(025) jeq      #0x50            jt 32	jf 26
(026) jeq      #0x1bb           jt 32	jf 27
(027) jeq      #0x1f90          jt 32	jf 28
(028) ldh      [42]
(029) jeq      #0x50            jt 32	jf 30
(030) jeq      #0x1bb           jt 32	jf 31
(031) jeq      #0x1f90          jt 32	jf 33
(032) ret      #262144
(033) ret      #0

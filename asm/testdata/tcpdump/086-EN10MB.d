(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 18
(002) ldb      [23]
(003) jeq      #0x6             jt 4	jf 30
(004) ldh      [20]
(005) jset     #0x1fff          jt 30	jf 6
(006) ldxb     4*([14]&0xf)
(007) ldh      [x + 14]
(008) jeq      #0x50            jt 15	jf 9
(009) jeq      #0x1bb           jt 15	jf 10
(010) jeq      #0x1f90          jt 15	jf 11
(011) ldh      [x + 16]
(012) jeq      #0x50            jt 15	jf 13
(013) jeq      #0x1bb           jt 15	jf 14
(014) jeq      #0x1f90          jt 15	jf 30
(015) ld       [26]
(016) and      #0xff000000
(017) jeq      #0xa000000       jt 30	jf 29
(018) jeq      #0x86dd          jt 19	jf 30
(019) ldb      [20]
(020) jeq      #0x6             jt 21	jf 30
(021) ldh      [54]
(022) jeq      #0x50            jt 29	jf 23
(023) jeq      #0x1bb           jt 29	jf 24
(024) jeq      #0x1f90          jt 29	jf 25
(025) ldh      [56]
(026) jeq      #0x50            jt 29	jf 27
(027) jeq      #0x1bb           jt 29	jf 28
(028) jeq      #0x1f90          jt 29	jf 30
(029) ret      #262144
(030) ret      #0

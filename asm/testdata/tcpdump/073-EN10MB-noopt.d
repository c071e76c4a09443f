(000) ldh      [12]
(001) jeq      #0x8100          jt 6	jf 2
(002) ldh      [12]
(003) jeq      #0x88a8          jt 6	jf 4
(004) ldh      [12]
(005) jeq      #0x9100          jt 6	jf 29
(006) ldh      [16]
(007) jeq      #0x800           jt 8	jf 29
(008) ldh      [16]
(009) jeq      #0x86dd          jt 10	jf 16
(010) ldb      [24]
(011) jeq      #0x11            jt 12	jf 16
(012) ldh      [58]
(013) jeq      #0x12b5          jt 28	jf 14
(014) ldh      [60]
(015) jeq      #0x12b5          jt 28	jf 16
(016) ldh      [16]
(017) jeq      #0x800           jt 18	jf 29
(018) ldb      [27]
(019) jeq      #0x11            jt 20	jf 29
(020) ldh      [24]
(021) jset     #0x1fff          jt 29	jf 22
(022) ldxb     4*([18]&0xf)
(023) ldh      [x + 18]
(024) jeq      #0x12b5          jt 28	jf 25
(025) ldxb     4*([18]&0xf)
(026) ldh      [x + 20]
(027) jeq      #0x12b5          jt 28	jf 29
(028) ret      #262144
(029) ret      #0

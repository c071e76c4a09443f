(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 31
(002) ldh      [12]
(003) jeq      #0x800           jt 4	jf 6
(004) ldb      [23]
(005) jeq      #0x6             jt 31	jf 6
(006) ldh      [12]
(007) jeq      #0x86dd          jt 8	jf 14
(008) ldb      [20]
(009) jeq      #0x6             jt 31	jf 10
(010) ldb      [20]
(011) jeq      #0x2c            jt 12	jf 14
(012) ldb      [54]
(013) jeq      #0x6             jt 31	jf 14
(014) ldh      [12]
(015) jeq      #0x800           jt 16	jf 18
(016) ldb      [23]
(017) jeq      #0x11            jt 31	jf 18
(018) ldh      [12]
(019) jeq      #0x86dd          jt 20	jf 26
(020) ldb      [20]
(021) jeq      #0x11            jt 31	jf 22
(022) ldb      [20]
(023) jeq      #0x2c            jt 24	jf 26
(024) ldb      [54]
(025) jeq      #0x11            jt 31	jf 26
(026) ldh      [12]
(027) jeq      #0x800           jt 28	jf 30
(028) ldb      [23]
(029) jeq      #0x1             jt 31	jf 30
(030) ret      #262144
(031) ret      #0

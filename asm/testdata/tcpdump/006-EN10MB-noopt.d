(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 4
(002) ldb      [23]
(003) jeq      #0x11            jt 12	jf 4
(004) ldh      [12]
(005) jeq      #0x86dd          jt 6	jf 13
(006) ldb      [20]
(007) jeq      #0x11            jt 12	jf 8
(008) ldb      [20]
(009) jeq      #0x2c            jt 10	jf 13
(010) ldb      [54]
(011) jeq      #0x11            jt 12	jf 13
(012) ret      #262144
(013) ret      #0

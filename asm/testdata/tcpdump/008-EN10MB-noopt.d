(000) ldh      [12]
(001) jeq      #0x86dd          jt 2	jf 9
(002) ldb      [20]
(003) jeq      #0x3a            jt 8	jf 4
(004) ldb      [20]
(005) jeq      #0x2c            jt 6	jf 9
(006) ldb      [54]
(007) jeq      #0x3a            jt 8	jf 9
(008) ret      #262144
(009) ret      #0

(000) ldh      [12]
(001) jeq      #0x86dd          jt 2	jf 7
(002) ldb      [20]
(003) jeq      #0x3a            jt 4	jf 7
(004) ldb      [54]
(005) jeq      #0x80            jt 6	jf 7
(006) ret      #262144
(007) ret      #0

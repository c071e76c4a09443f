(000) ldb      [0]
(001) and      #0xf0
(002) jeq      #0x40            jt 3	jf 6
(003) ldh      [6]
(004) jset     #0x1fff          jt 6	jf 5
(005) ret      #262144
(006) ret      #0

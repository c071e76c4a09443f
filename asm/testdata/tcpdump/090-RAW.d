(000) ldb      [0]
(001) and      #0xf0
(002) jeq      #0x40            jt 3	jf 8
(003) ldb      [9]
(004) jeq      #0x11            jt 5	jf 8
(005) ldh      [6]
(006) jset     #0x3fff          jt 7	jf 8
(007) ret      #262144
(008) ret      #0

(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 7
(002) ldb      [23]
(003) jeq      #0x11            jt 4	jf 7
(004) ldh      [20]
(005) jset     #0x3fff          jt 6	jf 7
(006) ret      #262144
(007) ret      #0

(000) ldh      [12]
(001) jeq      #0x800           jt 2	jf 5
(002) ldh      [20]
(003) jset     #0x1fff          jt 5	jf 4
(004) ret      #262144
(005) ret      #0

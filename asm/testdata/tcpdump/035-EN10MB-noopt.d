(000) ldh      [12]
(001) jeq      #0x86dd          jt 2	jf 5
(002) ldb      [38]
(003) jeq      #0xff            jt 4	jf 5
(004) ret      #262144
(005) ret      #0

(000) ldh      [14]
(001) jeq      #0x800           jt 2	jf 5
(002) ldh      [18]
(003) jgt      #0x240           jt 4	jf 5
(004) ret      #262144
(005) ret      #0

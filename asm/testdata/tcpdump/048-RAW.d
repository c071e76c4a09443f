(000) ldb      [0]
(001) and      #0xf0
(002) jeq      #0x40            jt 3	jf 6
(003) ldb      [8]
(004) jge      #0x5             jt 6	jf 5
(005) ret      #262144
(006) ret      #0

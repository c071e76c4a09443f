(000) ldh      [14]
(001) jeq      #0x86dd          jt 2	jf 7
(002) ldb      [22]
(003) jeq      #0x3a            jt 4	jf 7
(004) ldb      [56]
(005) jeq      #0x80            jt 6	jf 7
(006) ret      #262144
(007) ret      #0

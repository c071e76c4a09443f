(000) ldh      [14]
(001) jeq      #0x86dd          jt 2	jf 9
(002) ldb      [22]
(003) jeq      #0x6             jt 4	jf 9
(004) ldh      [56]
(005) jeq      #0x50            jt 8	jf 6
(006) ldh      [58]
(007) jeq      #0x50            jt 8	jf 9
(008) ret      #262144
(009) ret      #0

(000) ldh      [14]
(001) jeq      #0x800           jt 2	jf 10
(002) ldb      [25]
(003) jeq      #0x1             jt 4	jf 10
(004) ldh      [22]
(005) jset     #0x1fff          jt 10	jf 6
(006) ldxb     4*([16]&0xf)
(007) ldb      [x + 16]
(008) jeq      #0x8             jt 9	jf 10
(009) ret      #262144
(010) ret      #0

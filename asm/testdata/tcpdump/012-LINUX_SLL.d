(000) ldh      [14]
(001) jeq      #0x86dd          jt 2	jf 8
(002) ldb      [22]
(003) jeq      #0x11            jt 4	jf 19
(004) ldh      [56]
(005) jeq      #0x35            jt 18	jf 6
(006) ldh      [58]
(007) jeq      #0x35            jt 18	jf 19
(008) jeq      #0x800           jt 9	jf 19
(009) ldb      [25]
(010) jeq      #0x11            jt 11	jf 19
(011) ldh      [22]
(012) jset     #0x1fff          jt 19	jf 13
(013) ldxb     4*([16]&0xf)
(014) ldh      [x + 16]
(015) jeq      #0x35            jt 18	jf 16
(016) ldh      [x + 18]
(017) jeq      #0x35            jt 18	jf 19
(018) ret      #262144
(019) ret      #0

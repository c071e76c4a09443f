(000) ldh      [14]
(001) jeq      #0x86dd          jt 2	jf 8
(002) ldb      [22]
(003) jeq      #0x84            jt 6	jf 4
(004) jeq      #0x6             jt 6	jf 5
(005) jeq      #0x11            jt 6	jf 20
(006) ldh      [58]
(007) jeq      #0x16            jt 19	jf 18
(008) jeq      #0x800           jt 9	jf 20
(009) ldb      [25]
(010) jeq      #0x84            jt 13	jf 11
(011) jeq      #0x6             jt 13	jf 12
(012) jeq      #0x11            jt 13	jf 20
(013) ldh      [22]
(014) jset     #0x1fff          jt 20	jf 15
(015) ldxb     4*([16]&0xf)
(016) ldh      [x + 18]
(017) jeq      #0x16            jt 19	jf 18
(018) jeq      #0x8ae           jt 19	jf 20
(019) ret      #262144
(020) ret      #0

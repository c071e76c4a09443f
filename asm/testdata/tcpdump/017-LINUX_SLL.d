(000) ldh      [14]
(001) jeq      #0x86dd          jt 2	jf 6
(002) ldb      [22]
(003) jeq      #0x6             jt 4	jf 16
(004) ldh      [58]
(005) jge      #0x1             jt 14	jf 16
(006) jeq      #0x800           jt 7	jf 16
(007) ldb      [25]
(008) jeq      #0x6             jt 9	jf 16
(009) ldh      [22]
(010) jset     #0x1fff          jt 16	jf 11
(011) ldxb     4*([16]&0xf)
(012) ldh      [x + 18]
(013) jge      #0x1             jt 14	jf 16
(014) jgt      #0x3ff           jt 16	jf 15
(015) ret      #262144
(016) ret      #0

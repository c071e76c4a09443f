(000) ldh      [12]
(001) jeq      #0x86dd          jt 2	jf 10
(002) ld       [22]
(003) jeq      #0xfe800000      jt 4	jf 10
(004) ld       [26]
(005) jeq      #0x0             jt 6	jf 10
(006) ld       [30]
(007) jeq      #0x0             jt 8	jf 10
(008) ld       [34]
(009) jeq      #0x1             jt 20	jf 10
(010) ldh      [12]
(011) jeq      #0x86dd          jt 12	jf 21
(012) ld       [38]
(013) jeq      #0xfe800000      jt 14	jf 21
(014) ld       [42]
(015) jeq      #0x0             jt 16	jf 21
(016) ld       [46]
(017) jeq      #0x0             jt 18	jf 21
(018) ld       [50]
(019) jeq      #0x1             jt 20	jf 21
(020) ret      #262144
(021) ret      #0

(000) ldh      [12]
(001) jeq      #0x86dd          jt 2	jf 13
(002) ld       [22]
(003) jeq      #0x20010db8      jt 4	jf 13
(004) ld       [26]
(005) and      #0x0
(006) jeq      #0x0             jt 7	jf 13
(007) ld       [30]
(008) and      #0x0
(009) jeq      #0x0             jt 10	jf 13
(010) ld       [34]
(011) and      #0x0
(012) jeq      #0x0             jt 26	jf 13
(013) ldh      [12]
(014) jeq      #0x86dd          jt 15	jf 27
(015) ld       [38]
(016) jeq      #0x20010db8      jt 17	jf 27
(017) ld       [42]
(018) and      #0x0
(019) jeq      #0x0             jt 20	jf 27
(020) ld       [46]
(021) and      #0x0
(022) jeq      #0x0             jt 23	jf 27
(023) ld       [50]
(024) and      #0x0
(025) jeq      #0x0             jt 26	jf 27
(026) ret      #262144
(027) ret      #0

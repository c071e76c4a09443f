(000) ldh      [type]
(001) jeq      #0x4             jt 2	jf 3
(002) ret      #262144
(003) ret      #0

(000) ldh      [14]
(001) jeq      #0x88cc          jt 2	jf 3
(002) ret      #262144
(003) ret      #0

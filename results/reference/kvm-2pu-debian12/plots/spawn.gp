# spawn.gp - made by ptbench plot from the result folder around plots/;
# run gnuplot spawn.gp in plots/ to redraw.
set terminal svg size 900,560 dynamic font 'sans,13' background '#ffffff'
set output 'spawn.svg'
set title 'Creating the workers as the parent’s memory grows (spawn)' noenhanced
set xlabel 'heap the parent touched before creating workers (MiB)' noenhanced
set ylabel 'spawn time, ms (median, 95% CI)' noenhanced
set grid
set key outside right top noenhanced
set yrange [0:*]
$process << EOD
0 0.422427 0.366216 0.472012
64 3.09967 3.04519 3.56067
256 12.594 11.5349 14.165
1024 41.6968 41.4046 44.1284
EOD
$thread << EOD
0 0.240302 0.21502 0.244294
64 0.708617 0.584389 0.746022
256 0.848521 0.808917 1.26636
1024 1.62441 1.30342 1.75711
EOD
$shared << EOD
0 0.438876 0.350903 0.489559
256 1.47509 1.02125 1.76702
EOD
$exec << EOD
0 2.88356 2.72295 2.98322
256 5.79632 4.85835 5.83873
EOD
plot $process using 1:2:3:4 with yerrorlines lw 2 title 'fork (processes)', \
     $thread using 1:2:3:4 with yerrorlines lw 2 title 'pthread_create (threads)', \
     $shared using 1:2:3:4 with yerrorlines lw 2 lc rgb '#e69f00' title 'fork, shared heap (shared)', \
     $exec using 1:2:3:4 with yerrorlines lw 2 lc rgb '#1f78b4' title 'posix_spawn (exec)'

# cow.gp - made by ptbench plot from the result folder around plots/;
# run gnuplot cow.gp in plots/ to redraw.
set terminal svg size 900,560 dynamic font 'sans,13' background '#ffffff'
set output 'cow.svg'
set title 'Copy-on-write: page faults of a worker against the pages it modifies (cow)' noenhanced
set xlabel 'pages written by a worker' noenhanced
set ylabel 'minor faults while writing' noenhanced
set grid
set key outside right top noenhanced
$process << EOD
4096 4096
8192 8192
EOD
$thread << EOD
4096 4096
8192 8192
EOD
$shared << EOD
8192 9264.5
EOD
$exec << EOD
8192 8192
EOD
plot $process using 1:2 with linespoints lw 2 pt 7 ps 1.5 title 'forked child (kernel copy-on-write)', \
     $thread using 1:2 with linespoints lw 2 pt 5 ps 1 title 'thread (copies by hand)', \
     $shared using 1:2 with linespoints lw 2 pt 9 ps 1 lc rgb '#e69f00' title 'forked child, shared heap (shared)', \
     $exec using 1:2 with linespoints lw 2 pt 11 ps 1 lc rgb '#1f78b4' title 'spawned (exec)', \
     x with lines lw 1 lc rgb '#999999' title 'one fault a page'

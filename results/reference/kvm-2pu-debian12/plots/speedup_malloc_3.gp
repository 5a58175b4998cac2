# speedup_malloc_3.gp - made by ptbench plot from the result folder around plots/;
# run gnuplot speedup_malloc_3.gp in plots/ to redraw.
set terminal svg size 900,560 dynamic font 'sans,13' background '#ffffff'
set output 'speedup_malloc_3.svg'
set title 'malloc (allocs=2000000;size=64;live=256, pin core): speedup over 1 worker' noenhanced
set xlabel 'workers' noenhanced
set ylabel 'speedup (throughput at n / at 1 worker)' noenhanced
set grid
set key outside right top noenhanced
set logscale x 2
set xrange [1:*]
set yrange [0:*]
$process << EOD
1 1 1 1
2 1.92622 1.86411 1.99953
EOD
$thread << EOD
1 1 1 1
2 1.97309 1.90421 2.04327
EOD
plot $process using 1:2:3:4 with yerrorlines lw 2 title 'process', \
     $thread using 1:2:3:4 with yerrorlines lw 2 title 'thread', \
     x with lines lw 1 lc rgb '#999999' title 'linear (ideal)'

# memory.gp - made by ptbench plot from the result folder around plots/;
# run gnuplot memory.gp in plots/ to redraw.
set terminal svg size 900,560 dynamic font 'sans,13' background '#ffffff'
set output 'memory.svg'
set title 'Memory at the end barrier: the honest total (PSS) and the naive RSS sum' noenhanced
set xlabel 'experiment (at its largest worker count)' noenhanced
set ylabel 'MiB' noenhanced
set grid
set key outside right top noenhanced
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set xtics noenhanced font ',10'
set yrange [0:*]
set xtics ('spawn 0' 0, \
    'spawn 64M' 1, \
    'spawn 256M' 2, \
    'spawn 1G' 3, \
    'sharedread 64M' 4, \
    'cow 0.25' 5, \
    'cow 0.5' 6)
$m << EOD
0 1.5127 0.982422 1.5127 3.61426 7.42188 2.71094 7.42188 10.7773
1 65.6689 65.1406 nan nan 199.734 67.0117 nan nan
2 257.681 257.141 257.681 259.757 775.855 259.012 263.98 267.355
3 1025.68 1025.14 nan nan 3079.86 1027.01 nan nan
4 65.6738 65.1367 65.6777 195.738 199.799 67.0078 199.844 203.066
5 97.6611 97.1426 nan nan 199.617 99.0117 nan nan
6 129.68 129.143 129.681 131.739 199.855 131.012 263.715 139.105
EOD
plot $m using 2 title 'PSS, processes', \
     $m using 3 title 'PSS, threads', \
     $m using 4 lc rgb '#e69f00' title 'PSS, shared', \
     $m using 5 lc rgb '#1f78b4' title 'PSS, exec', \
     $m using 6 title 'RSS sum, processes', \
     $m using 7 title 'RSS sum, threads', \
     $m using 8 lc rgb '#f5c77e' title 'RSS sum, shared', \
     $m using 9 lc rgb '#a6cee3' title 'RSS sum, exec'

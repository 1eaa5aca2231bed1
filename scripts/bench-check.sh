#!/usr/bin/env bash
# Times `galley check` (release build) on a generated corpus of drafts: by default 10,000
# plain-text drafts of about 3 KB in 100 folders, 2 % of them with a duplicated paragraph.
# The target is under 1 second of wall time on 2 cores.
#
#   bash scripts/bench-check.sh [COUNT]
#
# Uses hyperfine when it is installed, otherwise times five runs itself.
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-10000}"

cargo build --release --locked --bin galley
galley="$PWD/target/release/galley"
corpus="$(mktemp -d)"
trap 'rm -rf "$corpus"' EXIT

# Deterministic pseudo-random drafts: words from a fixed vocabulary, ~14 paragraphs each.
awk -v n="$count" -v dir="$corpus" 'BEGIN {
  split("el la los las un una de del en con por para que se su sus al como más pero sus " \
        "ayuntamiento vecinos calle obras plan ciudad barrio proyecto millones euros año " \
        "semana gobierno consejo junta alcaldesa concejal pleno votos oposición mercado " \
        "puerto flota cofradía lonja temporal biblioteca archivo colegio universidad " \
        "estudiantes profesores festival cine teatro música coro premio jurado carretera " \
        "tráfico autobús estación tren vivienda alquiler precio impuesto tasa comercio " \
        "tienda cliente sábado lunes martes marzo abril mayo junio verano invierno lluvia " \
        "sequía embalse agua río campo cosecha aceite vino cooperativa socios asamblea " \
        "presupuesto partida ayuda subvención empresa trabajo empleo paro sindicato huelga " \
        "hospital médicos pacientes salud centro servicio nuevo nueva antiguo grande pequeño " \
        "primero último según dijo explicó aseguró anunció reclamó pidió aprobó rechazó", vocab, " ")
  nv = length(vocab); srand(42)
  months = "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"
  split(months, month, " ")
  for (i = 0; i < n; i++) {
    sub_dir = sprintf("%s/seccion-%02d", dir, i % 100)
    if (i < 100) system("mkdir -p " sub_dir)
    file = sprintf("%s/borrador-%05d.txt", sub_dir, i)
    left = int(rand() * 101)
    printf "Progresista %d%% Conservador %d%%\n", left, 100 - left > file
    printf "Titular de prueba número %d sobre %s y %s\n", i, vocab[1 + int(rand() * nv)], vocab[1 + int(rand() * nv)] > file
    printf "Subtítulo que resume la pieza %d en una sola frase con %s.\n", i, vocab[1 + int(rand() * nv)] > file
    printf "Publicado: %d de %s de 2026, %02d:%02d\n", 1 + int(rand() * 28), month[1 + int(rand() * 12)], int(rand() * 24), int(rand() * 60) > file
    first = ""
    for (p = 0; p < 14; p++) {
      para = ""
      for (w = 0; w < 30; w++) para = para (w ? " " : "") vocab[1 + int(rand() * nv)]
      para = para "."
      if (p == 0) first = para
      if (p == 13 && i % 50 == 0) para = first
      print para > file
    }
    close(file)
  }
}'
echo "corpus: $count drafts, $(du -sh "$corpus" | cut -f1)"

if command -v hyperfine >/dev/null 2>&1; then
  hyperfine --warmup 1 --runs 10 --ignore-failure "$galley check --no-progress $corpus >/dev/null"
else
  times=()
  "$galley" check --no-progress "$corpus" >/dev/null || true   # warm the page cache
  for _ in 1 2 3 4 5; do
    start=$(date +%s%N)
    "$galley" check --no-progress "$corpus" >/dev/null || true
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  echo "wall time over 5 runs (ms): $(echo $sorted)"
  echo "median: $(echo "$sorted" | sed -n 3p) ms"
fi

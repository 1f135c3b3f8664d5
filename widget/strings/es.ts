/** Spanish strings, one line per field of SearchGateStrings (see ../strings.ts). */
export default `Buscar
Buscar…
Cerrar
Búsquedas recientes
Quitar «{q}» de las búsquedas recientes
No hay resultados para «{q}»
1 resultado
{n} resultados
Buscando…
La búsqueda no está disponible ahora.
Demasiadas búsquedas. Reintento en {s} s.
No se puede conectar. Compruebe su conexión.
La búsqueda ha fallado.
Reintentar
Borrar
Favoritos
Guardar «{q}» en favoritos
Quitar «{q}» de favoritos
Más resultados
Pruebe con menos palabras u otras.
Obtener ayuda
navegar|abrir|cerrar
Generado por IA
Todo
Filtrar resultados`;

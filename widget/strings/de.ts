/** German strings, one line per field of SearchGateStrings (see ../strings.ts). */
export default `Suche
Suchen…
Schließen
Letzte Suchen
„{q}“ aus den letzten Suchen entfernen
Keine Ergebnisse für „{q}“
1 Ergebnis
{n} Ergebnisse
Suche läuft…
Die Suche ist gerade nicht verfügbar.
Zu viele Suchen. Neuer Versuch in {s} s.
Suche nicht erreichbar. Bitte Verbindung prüfen.
Die Suche ist fehlgeschlagen.
Erneut versuchen
Leeren
Favoriten
„{q}“ als Favorit speichern
„{q}“ aus den Favoriten entfernen
Weitere Ergebnisse
Versuchen Sie weniger oder andere Wörter.
Hilfe
navigieren|öffnen|schließen
KI-generiert
Alle
Ergebnisse filtern`;

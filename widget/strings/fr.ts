/** French strings, one line per field of SearchGateStrings (see ../strings.ts). */
export default `Rechercher
Rechercher…
Fermer
Recherches récentes
Retirer « {q} » des recherches récentes
Aucun résultat pour « {q} »
1 résultat
{n} résultats
Recherche…
La recherche est indisponible pour le moment.
Trop de recherches. Nouvel essai dans {s} s.
Recherche injoignable. Vérifiez votre connexion.
La recherche a échoué.
Réessayer
Effacer
Favoris
Ajouter « {q} » aux favoris
Retirer « {q} » des favoris
Plus de résultats
Essayez moins de mots ou d’autres mots.
Obtenir de l’aide
naviguer|ouvrir|fermer
Généré par IA
Tout
Filtrer les résultats`;

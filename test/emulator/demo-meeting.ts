// The emulator's default recording: a weekly project review between three people (0 Maria
// Garcia, who chairs; 1 Sarah Johnson; 2 David Chen), in English and French. It has an opening,
// five written topics and a closing; longer audio adds a round of short regional updates
// between the topics and the closing, each naming its own city and workstream, so no line is
// ever said twice. Summaries and chapters are written from the topics the transcript covers.

export type Texts = { en: string; fr?: string };
interface Line {
	speaker: number;
	text: Texts;
}
interface Topic {
	headline: string;
	keywords: string[];
	/** A sentence of the general summary. */
	summary: string;
	/** A short clause of the concise summary. */
	clause: string;
	bullet: string;
	lines: Line[];
}

/** One utterance of the meeting: its text in the language it is spoken in, and its translations. */
export interface MeetingLine {
	text: string;
	speaker: number;
	language: string;
	translations: Record<string, string>;
	/** Index of the topic the line belongs to (see topicAt). */
	topic: number;
}

const line = (speaker: number, en: string, fr: string): Line => ({ speaker, text: { en, fr } });

const GREETINGS: Array<[string, string]> = [
	[
		'Good morning everyone, thanks for joining the weekly project review.',
		'Bonjour à tous, merci de participer à la revue hebdomadaire du projet.',
	],
	[
		"Hi all, it's nine o'clock, so let's start the weekly project review.",
		'Bonjour à tous, il est neuf heures, commençons la revue hebdomadaire du projet.',
	],
	[
		'Morning everyone. Thanks for making time for the weekly project review.',
		'Bonjour tout le monde. Merci de prendre le temps pour la revue hebdomadaire du projet.',
	],
	[
		"Hello everyone, let's get going with this week's project review.",
		'Bonjour à tous, on attaque la revue de projet de la semaine.',
	],
];

const SIGN_OFFS: Array<[string, string]> = [
	[
		"Then that's it. Thanks everyone, see you next week.",
		"Alors c'est tout. Merci à tous, à la semaine prochaine.",
	],
	[
		'Perfect. Thank you all, same time next week.',
		'Parfait. Merci à tous, même heure la semaine prochaine.',
	],
	[
		'Great, thanks for your time, everyone. Talk next week.',
		'Très bien, merci pour votre temps. On se reparle la semaine prochaine.',
	],
];

function opening(seed: number): Topic {
	const [en, fr] = GREETINGS[seed % GREETINGS.length];
	return {
		headline: 'Introductions and agenda',
		keywords: ['weekly project review', 'agenda'],
		summary:
			'Maria Garcia opened the weekly project review with Sarah Johnson and David Chen and set the agenda.',
		clause: 'introductions and the agenda',
		bullet: 'Attendees: Maria Garcia (chair), Sarah Johnson, David Chen',
		lines: [
			line(0, en, fr),
			line(
				1,
				"Morning. I'm Sarah Johnson, and I'll walk you through the onboarding numbers later.",
				"Bonjour. Je suis Sarah Johnson, et je vous présenterai les chiffres d'accueil des clients tout à l'heure.",
			),
			line(
				2,
				"David Chen here, from the Berlin office. I'm taking notes today.",
				"David Chen, du bureau de Berlin. C'est moi qui prends les notes aujourd'hui.",
			),
			line(
				0,
				'Thanks. Full agenda today: the Acme Corp integration, the pilot budget, the onboarding numbers, the Paris rollout and the support backlog, then hiring, the Berlin workshop and the security audit.',
				"Merci. Ordre du jour chargé : l'intégration Acme Corp, le budget du pilote, les chiffres d'accueil, le déploiement à Paris et les tickets du support, puis le recrutement, l'atelier de Berlin et l'audit de sécurité.",
			),
		],
	};
}

const TOPICS: Topic[] = [
	{
		headline: 'Acme Corp integration',
		keywords: ['Acme Corp', 'data processing agreement', 'go-live'],
		summary:
			'The Acme Corp integration is blocked until Acme receives a signed data processing agreement; Sarah sends it today, and if Acme signs by Wednesday the go-live stays on March 13th.',
		clause: 'the Acme Corp go-live waits on a signed data processing agreement',
		bullet:
			'Acme Corp: blocked on a signed data processing agreement; Sarah sends it today, go-live March 13th if signed by Wednesday',
		lines: [
			line(
				0,
				"Let's start with Acme. David, where are we?",
				'Commençons par Acme. David, où en est-on ?',
			),
			line(
				2,
				'The main problem is still the delay on their side. Their security team wants a signed data processing agreement before they share the production credentials.',
				'Le principal problème reste le retard de leur côté. Leur équipe sécurité veut un accord de traitement des données signé avant de nous donner les accès de production.',
			),
			line(
				1,
				'I can send the agreement today. Their contact is john.smith@acme-corp.com, right?',
				"Je peux envoyer l'accord aujourd'hui. Leur contact est john.smith@acme-corp.com, c'est bien ça ?",
			),
			line(
				2,
				'Correct. And his direct line is 415-555-0199 if email is too slow.',
				"Exact. Et sa ligne directe est le 415-555-0199 si l'e-mail est trop lent.",
			),
			line(
				0,
				"Okay. Sarah, can you call him this afternoon if there's no answer by lunch?",
				"D'accord. Sarah, tu peux l'appeler cet après-midi s'il n'a pas répondu avant midi ?",
			),
			line(
				1,
				'Sure. If they sign by Wednesday, we can still go live on March 13th.',
				"Bien sûr. S'ils signent d'ici mercredi, on peut encore passer en production le 13 mars.",
			),
			line(
				0,
				'Good. So the agreement goes out today, and we keep March 13th for the go-live.',
				"Bien. Donc l'accord part aujourd'hui, et on garde le 13 mars pour la mise en production.",
			),
		],
	},
	{
		headline: 'Pilot budget',
		keywords: ['budget', 'transcription credits', 'pilot'],
		summary:
			'The pilot has spent about $7,000 of its $12,000 budget, $4,500 of it on transcription credits; the team keeps the plan and reviews the spend at the end of the month.',
		clause: 'the pilot has spent $7,000 of its $12,000 budget',
		bullet:
			'Budget: $7,000 of $12,000 spent ($4,500 on transcription credits); spend reviewed again at the end of the month',
		lines: [
			line(0, 'Next, the pilot budget. Sarah?', 'Ensuite, le budget du pilote. Sarah ?'),
			line(
				1,
				"We approved $12,000 for the pilot this quarter, and we've spent about $7,000 so far.",
				'Nous avions validé $12,000 pour le pilote ce trimestre, et nous avons dépensé environ $7,000 pour le moment.',
			),
			line(
				2,
				'Most of that went on the Gladya transcription credits, right?',
				'La plus grande partie est partie dans les crédits de transcription Gladya, non ?',
			),
			line(
				1,
				'Yes, about $4,500. The rest paid the contractor who built the first dashboard.',
				'Oui, environ $4,500. Le reste a payé le prestataire qui a construit le premier tableau de bord.',
			),
			line(0, 'And are the transcripts worth it?', 'Et les transcriptions en valent la peine ?'),
			line(
				2,
				'Honestly, yes. They are much more accurate than last month, and nobody corrects speaker names by hand anymore.',
				'Honnêtement, oui. Elles sont bien plus précises que le mois dernier, et plus personne ne corrige les noms des intervenants à la main.',
			),
			line(
				0,
				'Great. Then we keep the current plan and look at the spend again at the end of the month.',
				'Très bien. On garde le plan actuel et on regarde de nouveau les dépenses à la fin du mois.',
			),
		],
	},
	{
		headline: 'Onboarding numbers',
		keywords: ['onboarding', 'new customers', 'satisfaction'],
		summary:
			'Thirty-five of the forty-two customers who signed up in the last two weeks finished onboarding, helped by the new welcome call; Sarah sends the full report by region.',
		clause: 'onboarding is up, with 35 of 42 new customers onboarded',
		bullet:
			'Onboarding: 35 of 42 new customers finished onboarding; Sarah shares the report by region',
		lines: [
			line(
				0,
				'Sarah, you wanted to share the onboarding numbers.',
				"Sarah, tu voulais nous montrer les chiffres d'accueil.",
			),
			line(
				1,
				'Yes. Forty-two new customers signed up in the last two weeks, and thirty-five of them finished onboarding.',
				"Oui. Quarante-deux nouveaux clients se sont inscrits ces deux dernières semaines, et trente-cinq ont terminé l'accueil.",
			),
			line(
				2,
				"That's a much better completion rate than in January. What changed?",
				"C'est un bien meilleur taux qu'en janvier. Qu'est-ce qui a changé ?",
			),
			line(
				1,
				'Mostly the welcome call in the first week. The satisfaction score went up by four points as well.',
				"Surtout l'appel de bienvenue la première semaine. Le score de satisfaction a aussi gagné quatre points.",
			),
			line(
				0,
				'Great work. Can you send the full report to everyone after the meeting?',
				'Beau travail. Tu peux envoyer le rapport complet à tout le monde après la réunion ?',
			),
			line(
				1,
				"Will do. I'll add the breakdown by region, London is doing particularly well.",
				"Je m'en occupe. J'ajouterai le détail par région, Londres s'en sort particulièrement bien.",
			),
		],
	},
	{
		headline: 'Paris rollout',
		keywords: ['Paris', 'rollout', 'translation review'],
		summary:
			'The Paris rollout ships on Friday with the web app only, and the mobile app follows a week later, to give the translation review more time; David tells the Paris office.',
		clause: 'Paris ships on Friday with the web app, mobile a week later',
		bullet:
			'Paris rollout: web app on Friday, mobile app a week later; David informs the Paris office',
		lines: [
			line(
				0,
				'Now the Paris rollout. Are we still on track for Friday?',
				'Passons au déploiement à Paris. Sommes-nous toujours dans les temps pour vendredi ?',
			),
			line(
				1,
				"Mostly. The French translations are done, but the review isn't finished. The Lyon team found a few terms that read oddly.",
				"Presque. Les traductions françaises sont prêtes, mais la relecture n'est pas finie. L'équipe de Lyon a trouvé quelques termes maladroits.",
			),
			line(
				2,
				"I'm a bit worried about the timeline. The support team is already stretched with the Acme launch.",
				"Je suis un peu inquiet pour le calendrier. L'équipe support est déjà débordée avec le lancement Acme.",
			),
			line(
				0,
				'Understood. What if we ship Paris on Friday with the web app only, and the mobile app a week later?',
				"Compris. Et si on livrait Paris vendredi avec l'application web seulement, et l'application mobile une semaine plus tard ?",
			),
			line(
				1,
				'That works for me. It gives the reviewers a few more days.',
				'Ça me va. Ça laisse quelques jours de plus aux relecteurs.',
			),
			line(
				2,
				"Fine by me too. I'll tell the Paris office this afternoon.",
				'Pour moi aussi. Je préviens le bureau de Paris cet après-midi.',
			),
			line(
				0,
				'Good, decided: the web app on Friday, the mobile app the week after.',
				"Bien, c'est décidé : l'application web vendredi, l'application mobile la semaine suivante.",
			),
		],
	},
	{
		headline: 'Support backlog',
		keywords: ['support', 'tickets', 'subtitles'],
		summary:
			'Open support tickets fell from two hundred to one hundred and forty; a customer in Lyon asked for French and German subtitles, now a high-priority ticket, and the analytics dashboard moves to the next sprint.',
		clause: 'the support backlog is down to 140 tickets',
		bullet:
			'Support: 140 open tickets (200 last week); subtitles in French and German for the Lyon customer are high priority; analytics dashboard moved to the next sprint',
		lines: [
			line(0, 'Next, the support backlog. David?', 'Ensuite, les tickets du support. David ?'),
			line(
				2,
				"We're at one hundred and forty open tickets, down from two hundred last week. Most of the old ones were duplicates.",
				'Nous avons cent quarante tickets ouverts, contre deux cents la semaine dernière. La plupart des anciens étaient des doublons.',
			),
			line(1, "Nice. What's left in there?", 'Bien. Que reste-t-il ?'),
			line(
				2,
				'Mainly export bugs and two feature requests. The customer in Lyon wants subtitles in French and German.',
				"Surtout des bugs d'export et deux demandes de fonctionnalités. Le client de Lyon veut des sous-titres en français et en allemand.",
			),
			line(
				0,
				"Subtitles should be quick with the new transcription pipeline. Let's add them to the backlog as high priority.",
				'Les sous-titres devraient être rapides avec la nouvelle chaîne de transcription. Ajoutons-les au backlog en priorité haute.',
			),
			line(
				1,
				"I'll write the ticket. Can we also move the analytics dashboard to the next sprint? It keeps slipping.",
				"J'écris le ticket. On peut aussi décaler le tableau de bord analytique au prochain sprint ? Il glisse sans arrêt.",
			),
			line(
				0,
				"Yes, let's do that. Better to ship fewer things properly.",
				'Oui, faisons ça. Mieux vaut livrer moins de choses, mais bien.',
			),
		],
	},
	{
		headline: 'Hiring',
		keywords: ['hiring', 'data engineer', 'interviews'],
		summary:
			'Two candidates for the data engineer role reach the final round next week; the team wants an offer out before the end of the month.',
		clause: 'two data engineer candidates reach the final round',
		bullet:
			'Hiring: two data engineer candidates in the final round next week; offer planned before the end of the month',
		lines: [
			line(
				0,
				'Hiring. Sarah, how is the data engineer search going?',
				'Le recrutement. Sarah, où en est la recherche de data engineer ?',
			),
			line(
				1,
				'Better than expected. We had nineteen applications, and two candidates are through to the final round next week.',
				'Mieux que prévu. Nous avons reçu dix-neuf candidatures, et deux candidats passent en entretien final la semaine prochaine.',
			),
			line(
				2,
				'Do you need someone from my team on the panel?',
				"Tu as besoin de quelqu'un de mon équipe pour le jury ?",
			),
			line(
				1,
				'Yes please, someone who can judge the pipeline design exercise.',
				"Oui, s'il te plaît, quelqu'un qui puisse évaluer l'exercice sur la conception de la chaîne de données.",
			),
			line(
				2,
				"I'll join myself, it's important enough.",
				"J'y vais moi-même, c'est assez important.",
			),
			line(
				0,
				"Thanks. Let's aim to send an offer before the end of the month.",
				'Merci. Visons une offre avant la fin du mois.',
			),
		],
	},
	{
		headline: 'Berlin customer workshop',
		keywords: ['Berlin', 'workshop', 'customer feedback'],
		summary:
			'Customers at the Berlin workshop liked the meeting summaries but found search across recordings too slow; search speed goes on the roadmap for next quarter.',
		clause: 'Berlin workshop customers want faster search',
		bullet:
			'Berlin workshop: customers like the summaries, find search across recordings too slow; search speed on next quarter’s roadmap',
		lines: [
			line(
				0,
				'David, what came out of the customer workshop in Berlin?',
				"David, qu'est-ce qui est ressorti de l'atelier clients à Berlin ?",
			),
			line(
				2,
				'Twelve customers came. They really like the meeting summaries, several of them said it saves them an hour a week.',
				'Douze clients sont venus. Ils apprécient vraiment les résumés de réunion, plusieurs disent gagner une heure par semaine.',
			),
			line(1, 'And the complaints?', 'Et les critiques ?'),
			line(
				2,
				'Search. Finding something said three meetings ago takes far too long, and they want to filter by speaker.',
				'La recherche. Retrouver une phrase dite il y a trois réunions prend beaucoup trop de temps, et ils veulent filtrer par intervenant.',
			),
			line(
				0,
				"That matches what support hears. Let's put search speed on the roadmap for next quarter.",
				"Ça rejoint ce qu'entend le support. Mettons la vitesse de recherche sur la feuille de route du prochain trimestre.",
			),
			line(
				2,
				"I'll write up the workshop notes and share them with product.",
				"Je rédige le compte rendu de l'atelier et je le partage avec l'équipe produit.",
			),
		],
	},
	{
		headline: 'Security audit',
		keywords: ['security audit', 'access review', 'encryption'],
		summary:
			'The annual security audit starts in three weeks; the access review must be finished first, and the auditors asked for the encryption key rotation policy.',
		clause: 'the security audit starts in three weeks',
		bullet:
			'Security audit: starts in three weeks; finish the access review first; send the key rotation policy to the auditors',
		lines: [
			line(0, 'Last topic, the security audit.', "Dernier point, l'audit de sécurité."),
			line(
				1,
				'It starts in three weeks. Before that, we have to finish the access review, there are still old accounts from the contractors.',
				"Il commence dans trois semaines. Avant cela, il faut terminer la revue des accès, il reste d'anciens comptes de prestataires.",
			),
			line(
				2,
				'The auditors also asked for our encryption key rotation policy. I can send them the current document.',
				'Les auditeurs ont aussi demandé notre politique de rotation des clés de chiffrement. Je peux leur envoyer le document actuel.',
			),
			line(
				0,
				"Good. Let's close the old accounts this week, so the review is clean before they arrive.",
				'Bien. Fermons les anciens comptes cette semaine, pour que la revue soit propre avant leur arrivée.',
			),
		],
	},
	{
		headline: 'Action items',
		keywords: ['action items', 'roadmap'],
		summary:
			'Action items: Sarah sends the agreement to Acme today, the onboarding report tomorrow and writes the subtitles ticket; David briefs the Paris office, joins the interview panel and sends the key rotation policy; Maria updates the roadmap.',
		clause: 'action items assigned',
		bullet:
			'Action items: Sarah (Acme agreement today, onboarding report tomorrow, subtitles ticket), David (Paris office, interview panel, key rotation policy), Maria (roadmap)',
		lines: [
			line(0, 'Let me recap the action items.', 'Je récapitule les actions.'),
			line(
				0,
				'Sarah sends the agreement to Acme today and the onboarding report tomorrow, and writes the subtitles ticket. David briefs the Paris office, joins the interview panel and sends the key rotation policy. I update the roadmap.',
				"Sarah envoie l'accord à Acme aujourd'hui et le rapport d'accueil demain, et écrit le ticket des sous-titres. David prévient le bureau de Paris, rejoint le jury d'entretien et envoie la politique de rotation des clés. Je mets à jour la feuille de route.",
			),
			line(1, 'Sounds right to me.', 'Ça me paraît juste.'),
		],
	},
];

function closing(seed: number): Topic {
	const [en, fr] = SIGN_OFFS[seed % SIGN_OFFS.length];
	return {
		headline: 'Action items and wrap-up',
		keywords: ['action items', 'next meeting'],
		summary: 'Maria sends the notes after the call; the next review is the same time next week.',
		clause: 'next review in a week',
		bullet: 'Next review: same time next week',
		lines: [
			line(
				0,
				"Okay, we're at time. I'll send the notes around after the call.",
				"Bon, c'est l'heure. J'envoie le compte rendu après l'appel.",
			),
			line(1, 'Sounds good.', 'Parfait.'),
			line(2, 'Nothing else from me.', "Rien d'autre de mon côté."),
			line(0, en, fr),
		],
	};
}

// ---------------------------------------------------------------- regional updates (long audio)

const CITIES = [
	'Madrid',
	'Lisbon',
	'Oslo',
	'Dublin',
	'Vienna',
	'Warsaw',
	'Prague',
	'Milan',
	'Zurich',
	'Brussels',
	'Copenhagen',
	'Helsinki',
	'Athens',
	'Budapest',
	'Stockholm',
	'Amsterdam',
	'Toronto',
	'Chicago',
	'Austin',
	'Seattle',
	'Boston',
	'Denver',
	'Montreal',
	'Singapore',
];
const WORKSTREAMS: Array<[string, string]> = [
	['the billing migration', 'la migration de la facturation'],
	['the mobile app release', "la sortie de l'application mobile"],
	['customer onboarding', "l'accueil des clients"],
	['the data warehouse', "l'entrepôt de données"],
	['partner integrations', 'les intégrations partenaires'],
	['the support tooling', 'les outils du support'],
	['the security review', 'la revue de sécurité'],
	['the website redesign', 'la refonte du site'],
	['the payment provider switch', 'le changement de prestataire de paiement'],
	['the hiring plan', 'le plan de recrutement'],
	['the analytics dashboard', 'le tableau de bord analytique'],
	['the translation review', 'la relecture des traductions'],
	['the office move', 'le déménagement du bureau'],
	['the API documentation', "la documentation de l'API"],
	['the training programme', 'le programme de formation'],
	['the SSO rollout', 'le déploiement du SSO'],
];
const BLOCKERS: Array<
	[(w: string, c: string) => string, (w: string, c: string) => string, string]
> = [
	[
		(w, c) => `We are waiting for legal to approve the contract for ${w} in ${c}.`,
		(w, c) => `Nous attendons que le juridique valide le contrat pour ${w} à ${c}.`,
		'waiting for legal',
	],
	[
		(w, c) => `Two people on ${w} in ${c} were out sick this week.`,
		(w, c) => `Deux personnes sur ${w} à ${c} étaient malades cette semaine.`,
		'two people were out sick',
	],
	[
		(w, c) => `The vendor for ${w} in ${c} moved their deadline to the end of the month.`,
		(w, c) => `Le fournisseur pour ${w} à ${c} a repoussé son échéance à la fin du mois.`,
		'the vendor moved its deadline',
	],
	[
		(w, c) => `For ${w} in ${c} we need a budget decision before we go further.`,
		(w, c) => `Pour ${w} à ${c}, il nous faut une décision budgétaire avant d'aller plus loin.`,
		'needs a budget decision',
	],
	[
		(w, c) => `The test environment for ${w} in ${c} was down for two days.`,
		(w, c) => `L'environnement de test pour ${w} à ${c} a été indisponible deux jours.`,
		'the test environment was down',
	],
	[
		(w, c) => `Nothing serious, the last tasks of ${w} in ${c} are in review.`,
		(w, c) => `Rien de grave, les dernières tâches de ${w} à ${c} sont en relecture.`,
		'last tasks in review',
	],
];
const DECISIONS: Array<[string, string]> = [
	["Fine, I'll escalate it today.", "D'accord, je fais remonter le sujet aujourd'hui."],
	[
		"Okay, let's lend them one person from the Berlin team.",
		"D'accord, prêtons-leur une personne de l'équipe de Berlin.",
	],
	["Let's keep the date and cut the nice-to-haves.", 'Gardons la date et retirons le superflu.'],
	['Good, then nothing changes.', 'Bien, alors rien ne change.'],
	["Okay, let's ask for a written plan.", 'Bon, demandons un plan écrit.'],
	[
		"Understood, we'll push the deadline by one week.",
		"Compris, on décale l'échéance d'une semaine.",
	],
];

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** Regional update k (0, 1, …): a city and workstream pair of its own, so its lines are unique. */
function regionalUpdate(k: number): Topic {
	const city = CITIES[k % CITIES.length];
	// Each lap of the cities shifts the workstreams by one more (25 and 16 are coprime), so
	// every (city, workstream) pair comes once in the first 384 updates.
	const [ws, wsFr] = WORKSTREAMS[(k + Math.floor(k / CITIES.length)) % WORKSTREAMS.length];
	const planned = 6 + ((k * 7) % 9);
	const done = planned - 1 - (k % 4);
	const [blocker, blockerFr, blockerShort] = BLOCKERS[k % BLOCKERS.length];
	const [decision, decisionFr] = DECISIONS[(k * 5) % DECISIONS.length];
	const lead = 1 + (k % 2);
	const shape = k % 3;
	const lines = [
		[
			line(
				0,
				`Next, ${ws} in ${city}. How is it going?`,
				`Ensuite, ${wsFr} à ${city}. Où en est-on ?`,
			),
			line(
				0,
				`${city} now, ${ws}. Where are we?`,
				`${city} maintenant, ${wsFr}. Où en sommes-nous ?`,
			),
			line(0, `What about ${ws} in ${city}?`, `Et ${wsFr} à ${city} ?`),
		][shape],
		[
			line(
				lead,
				`In ${city}, ${done} of the ${planned} tasks planned for ${ws} this sprint are done.`,
				`À ${city}, ${done} des ${planned} tâches prévues pour ${wsFr} ce sprint sont terminées.`,
			),
			line(
				lead,
				`${capital(ws)} in ${city} is at ${done} tasks out of ${planned} for this sprint.`,
				`${capital(wsFr)} à ${city} en est à ${done} tâches sur ${planned} pour ce sprint.`,
			),
			line(
				lead,
				`Mostly fine. ${city} has closed ${done} of its ${planned} tasks on ${ws}.`,
				`Plutôt bien. ${city} a bouclé ${done} de ses ${planned} tâches sur ${wsFr}.`,
			),
		][shape],
		[
			line(
				3 - lead,
				`What is holding up the rest of ${ws} in ${city}?`,
				`Qu'est-ce qui bloque le reste de ${wsFr} à ${city} ?`,
			),
			line(
				3 - lead,
				`And the remaining tasks on ${ws} in ${city}?`,
				`Et les tâches restantes sur ${wsFr} à ${city} ?`,
			),
			line(
				3 - lead,
				`Why is ${ws} in ${city} not finished yet?`,
				`Pourquoi ${wsFr} à ${city} n'est pas encore terminé ?`,
			),
		][shape],
		line(lead, blocker(ws, city), blockerFr(wsFr, city)),
		[
			line(
				0,
				`${decision} Let's check ${ws} in ${city} again next week.`,
				`${decisionFr} On refait le point sur ${wsFr} à ${city} la semaine prochaine.`,
			),
			line(
				0,
				`${decision} ${city}, keep us posted on ${ws}.`,
				`${decisionFr} ${city}, tenez-nous au courant pour ${wsFr}.`,
			),
			line(
				0,
				`${decision} We'll come back to ${ws} in ${city} next time.`,
				`${decisionFr} On reviendra sur ${wsFr} à ${city} la prochaine fois.`,
			),
		][shape],
	];
	if (k === 0) {
		lines.unshift(
			line(
				0,
				"Before we wrap up, a quick round of regional updates. Short answers, please, we'll go city by city.",
				'Avant de conclure, un rapide tour des régions. Réponses courtes, s’il vous plaît, ville par ville.',
			),
		);
	}
	return {
		headline: `${capital(ws)} in ${city}`,
		keywords: [city, ws.replace(/^the /, '')],
		summary: `${capital(ws)} in ${city}: ${done} of ${planned} tasks done, ${blockerShort}.`,
		clause: `${ws} in ${city}`,
		bullet: `${capital(ws)} in ${city}: ${done}/${planned} tasks done; ${blockerShort}`,
		lines,
	};
}

// ---------------------------------------------------------------- the meeting for an audio length

const WRITTEN = TOPICS.length + 1; // opening + the written topics; regional updates follow

/** Topic 0 is the opening, 1…5 the written topics, then the regional updates; -1 the closing. */
export function topicAt(index: number, seed: number): Topic {
	if (index === -1) return closing(seed);
	if (index === 0) return opening(seed);
	return index < WRITTEN ? TOPICS[index - 1] : regionalUpdate(index - WRITTEN);
}

function* middle(seed: number): Generator<[Line, number]> {
	for (let topic = 1; ; topic++) for (const l of topicAt(topic, seed).lines) yield [l, topic];
}

const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

function cutText(text: string, words: number): string {
	const kept = text.split(/\s+/).filter(Boolean).slice(0, words).join(' ');
	return /[.!?,]$/.test(kept) ? kept.replace(/,$/, '...') : `${kept}...`;
}

/** The line interrupted after `words` words; its translations stop at the same point. */
function cut(l: MeetingLine, words: number): MeetingLine {
	const share = words / wordCount(l.text);
	const translations: Record<string, string> = {};
	for (const [lang, text] of Object.entries(l.translations)) {
		translations[lang] = cutText(text, Math.max(1, Math.round(wordCount(text) * share)));
	}
	return { ...l, text: cutText(l.text, words), translations };
}

/**
 * The meeting's lines for a transcript of exactly `targetWords` words: the opening, as many
 * topics as fit (the last one cut off), then the closing; a recording too short for both
 * keeps the start of the opening and, space permitting, the end. `languageOf(i)` is the
 * language utterance i is spoken in (its text falls back to English).
 */
export function meetingLines(
	seed: number,
	targetWords: number,
	languageOf: (index: number) => string,
): MeetingLine[] {
	const spoken = ([l, topic]: [Line, number], index: number): MeetingLine => {
		const language = languageOf(index);
		const texts = l.text as Record<string, string | undefined>;
		const translations: Record<string, string> = {};
		for (const [lang, text] of Object.entries(texts))
			if (text && lang !== language) translations[lang] = text;
		return {
			text: texts[language] ?? l.text.en,
			speaker: l.speaker,
			language,
			translations,
			topic,
		};
	};
	const closingLines: Array<[Line, number]> = closing(seed).lines.map((l) => [l, -1]);
	const closingWords = (from: number) =>
		closingLines.reduce((n, l, j) => n + wordCount(spoken(l, from + j).text), 0);

	const out: MeetingLine[] = [];
	let words = 0;
	const add = (l: MeetingLine) => {
		out.push(l);
		words += wordCount(l.text);
	};
	const body = (function* (): Generator<[Line, number]> {
		for (const l of opening(seed).lines) yield [l, 0];
		yield* middle(seed);
	})();
	for (const entry of body) {
		const next = spoken(entry, out.length);
		const room = targetWords - words - closingWords(out.length + 1);
		if (wordCount(next.text) <= room) {
			add(next);
			continue;
		}
		// Without its whole opening the closing would make no sense: keep the start instead.
		if (entry[1] === 0) return shortRecording(seed, targetWords, spoken);
		if (room > 0) add(cut(next, room));
		break;
	}
	closingLines.forEach((l) => add(spoken(l, out.length)));
	return out;
}

/** Too short for an opening and a closing: the first words of the meeting, then its last line if it fits. */
function shortRecording(
	seed: number,
	targetWords: number,
	spoken: (entry: [Line, number], index: number) => MeetingLine,
): MeetingLine[] {
	const out: MeetingLine[] = [];
	const last = spoken([closing(seed).lines.at(-1)!, -1], 1);
	const reserve = targetWords >= wordCount(last.text) + 4 ? wordCount(last.text) : 0;
	let left = targetWords - reserve;
	for (const l of opening(seed).lines) {
		if (left <= 0) break;
		const next = spoken([l, 0], out.length);
		const n = wordCount(next.text);
		out.push(n <= left ? next : cut(next, left));
		left -= Math.min(n, left);
	}
	if (reserve) out.push(spoken([closing(seed).lines.at(-1)!, -1], out.length));
	return out;
}

// ---------------------------------------------------------------- summaries and chapters

/** Topics the transcript really discusses: at least half of their lines were said. */
function coveredTopics(lines: Array<{ topic?: number }>, seed: number): number[] {
	const said = new Map<number, number>();
	for (const l of lines) if (l.topic !== undefined) said.set(l.topic, (said.get(l.topic) ?? 0) + 1);
	return [...said.entries()]
		.filter(([topic, n]) => n * 2 >= topicAt(topic, seed).lines.length)
		.map(([topic]) => topic)
		.sort((a, b) => (a === -1 ? 1 : b === -1 ? -1 : a - b));
}

const isUpdate = (topic: number) => topic >= WRITTEN;

function listing(items: string[]): string {
	return items.length <= 1
		? (items[0] ?? '')
		: `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function updatesLine(updates: number[], seed: number): string {
	const cities = [...new Set(updates.map((t) => topicAt(t, seed).keywords[0]))];
	const named = cities.length > 4 ? [...cities.slice(0, 4), `${cities.length - 4} more`] : cities;
	return `${updates.length} team${updates.length === 1 ? '' : 's'} (${listing(named)})`;
}

/** Gladia's `summarization.results` for the lines of a transcript made by meetingLines. */
export function meetingSummary(
	lines: Array<{ topic?: number }>,
	type: string,
	seed: number,
): string {
	const covered = coveredTopics(lines, seed);
	if (covered.length === 0) {
		const excerpt = 'A short excerpt from the start of a weekly project review.';
		return type === 'bullet_points' ? `- ${excerpt}` : excerpt;
	}
	const written = covered.filter((t) => !isUpdate(t)).map((t) => topicAt(t, seed));
	const updates = covered.filter(isUpdate);
	const about = covered.filter((t) => t > 0 && !isUpdate(t)).map((t) => topicAt(t, seed));
	if (type === 'bullet_points') {
		const bullets = written.map((t) => t.bullet);
		if (updates.length)
			bullets.splice(
				bullets.length - (covered.includes(-1) ? 1 : 0),
				0,
				`Regional updates: ${updatesLine(updates, seed)}`,
			);
		return bullets.map((b) => `- ${b}`).join('\n');
	}
	if (type === 'concise') {
		const clauses = (about.length ? about : written).slice(0, 3).map((t) => t.clause);
		const more = about.length - 3 + (updates.length ? 1 : 0);
		return `Weekly project review: ${clauses.join('; ')}${more > 0 ? `; and ${more} more topic${more === 1 ? '' : 's'}` : ''}.`;
	}
	const sentences = written.map((t) => t.summary);
	if (updates.length) {
		sentences.splice(
			sentences.length - (covered.includes(-1) ? 1 : 0),
			0,
			`Regional updates followed from ${updatesLine(updates, seed)}.`,
		);
	}
	return sentences.join(' ');
}

export interface Chapter {
	headline: string;
	gist: string;
	summary: string;
	keywords: string[];
	start: number;
	end: number;
	text: string;
}

/** Gladia's `chapterization.results`: one chapter per topic, regional updates ten at a time. */
export function meetingChapters(
	utterances: Array<{ topic?: number; start: number; end: number; text: string }>,
	seed: number,
): Chapter[] {
	const chapters: Array<{ key: string; topics: number[]; utterances: typeof utterances }> = [];
	for (const u of utterances) {
		if (u.topic === undefined) continue;
		const key = isUpdate(u.topic)
			? `updates-${Math.floor((u.topic - WRITTEN) / 10)}`
			: String(u.topic);
		let chapter = chapters.at(-1);
		if (chapter?.key !== key) chapters.push((chapter = { key, topics: [], utterances: [] }));
		if (!chapter.topics.includes(u.topic)) chapter.topics.push(u.topic);
		chapter.utterances.push(u);
	}
	return chapters.map(({ topics, utterances: said }) => {
		const parts = topics.map((t) => topicAt(t, seed));
		const updates = topics.every(isUpdate);
		return {
			headline: updates
				? `Regional updates: ${listing(parts.map((p) => p.keywords[0]))}`
				: parts[0].headline,
			gist: updates ? `${parts.length} regional status updates` : parts[0].clause,
			summary: updates ? parts.map((p) => p.summary).join(' ') : parts[0].summary,
			keywords: [...new Set(parts.flatMap((p) => p.keywords))].slice(0, 8),
			start: said[0].start,
			end: said.at(-1)!.end,
			text: said.map((u) => u.text).join(' '),
		};
	});
}

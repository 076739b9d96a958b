"""The domain lexicon the theme grouping leans on: Action Learning Set topics and their words.

Short texts (4-15 words) rarely share words even when they are about the same thing
("redundancy announcements" and "reapplying for our own jobs"), and no language model
runs here, so this hand-written vocabulary supplies the missing similarity: each concept lists
words and phrases managers use for one recurring topic. The labels are ours, never a member's
words, which is why the report may show them to a sponsor.

Term syntax (case-insensitive, matched against a line's words in order):
  word      that word, or it with a plural -s/-es
  word*     any word starting with it (at least three letters before the *)
  a b*      a phrase: consecutive words, each as above (a hyphen counts as a space)
A phrase beats the single words inside it ("on board" is change, not the board), so phrases
listed under IGNORED only stop shorter terms from matching.

Grow it from bench/themes_labelled.tsv, never from the held-out sets: a test fails if a term
matches a held-out line but no tuning line (bench/themes_lexicon_check.py).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Concept:
    key: str
    label: str
    terms: tuple[str, ...]


def _terms(text: str) -> tuple[str, ...]:
    return tuple(term.strip() for term in text.replace("\n", " ").split(",") if term.strip())


CONCEPTS: tuple[Concept, ...] = tuple(
    Concept(key, label, _terms(terms))
    for key, label, terms in (
        (
            "restructure",
            "restructures and reorganisation",
            """restructur*, reorganis*, reorganiz*, reorg, redundan*, merger*, merging, merged,
            merge, outsourc*, tupe, severance, operating model, delayer*, centralis*,
            structure chart, new structure, realign*, at risk, reapply, selection interview*,
            deleted, post* deleted, consultation period, service redesign, restructure,
            survivor*, own job*, fewer roles, re-organis*, organisation chart,
            organisational design, job cuts, job losses, lose their jobs, losing their jobs,
            lost their jobs, made redundant, slotting, slotted, ring-fenced, closure*,
            amalgamat*, downsiz*, headcount, structural, management review, insourc*, spin out,
            takeover, acquisition, acquired, new owner*, consultation, at risk of redundancy,
            tier, layer of management, folding into, organisational review, central hub,
            who stays, post holders, new roles, layer of""",
        ),
        (
            "conversations",
            "difficult conversations and conflict",
            """conflict*, confront*, conversation*, difficult conversation*, feedback, argu*,
            dispute*, mediat*, tension*, challenging a, challenge a, defensive*, bully*, bullied,
            complaint*, passive aggressive, angry, anger, shout*, cried, sensitive, unwelcome,
            directness, not speaking, speaking to each other, inappropriate, raise a,
            raising concerns, went badly, rehearse, hard to say, say something, dismiss*,
            courageous conversation*, crucial conversation*, honest conversation*, fall out,
            fell out, falling out, feud*, hostil*, aggressi*, harass*, complain*, criticis*,
            awkward, tricky conversation*, standoff, clear the air, personality clash, toxic,
            gossip*, undermin*, say the hard thing, tone, sarcas*, remarks, cannot stand,
            abusive, racist, heated, atmosphere, calling out, call out, talks over, hurting""",
        ),
        (
            "influencing",
            "influencing senior stakeholders",
            """influenc*, stakeholder*, buy in, persuad*, persuasi*, convinc*, lobby*, boards,
            executive*, directors, chief executive, senior leader*, senior manage*,
            senior people, senior team*, leadership team, leadership meeting, elected member*,
            cabinet member, sponsor*, champion*, proposal*, pitch*, managing upwards,
            manage upwards, upwards, politic*, coalition*, ally, governing body, escalat*,
            getting heard, papers, slide deck, make the case, care about, the top, exec, execs,
            win over, winning over, won over, voice, visibility, board paper*, board meeting*,
            leader of the council, minister*, decision makers, decision-makers, chief officer*,
            cabinet, the executive, senior stakeholder*, key stakeholder*, backing,
            get them to back, my idea*, my paper, vice chancellor, chief constable,
            regional director, veto*, managing director, speak up, senior person,
            keeps my director""",
        ),
        (
            "workload",
            "workload and delegation",
            """workload*, delegat*, prioritis*, prioritiz*, priority, capacity, busy, inbox*, diary,
            back to back, interruption*, say yes, hand over, handing over, let go, letting go,
            to-do, to do list, not-to-do, task*, stretched, juggl*, too many, thinking time,
            time for, weekend*, catching up, micromanag*, perfecting, perfectionis*,
            covering two, over capacity, do it myself, everything myself, do everything,
            good enough, rescuing them, extra work, share out work, unmanageable, requests,
            what to drop, fire fighting, over-commit*, too much, too much work, spinning plates,
            time management, manage my time, my time, overstretched, over-stretched, hand off,
            day job, paperwork, deadlines, to do, task list, what to do first, plate, plates,
            swamped, bottleneck, strategically, actions for me, every project, brings problems,
            weekly plan, take on work, taking more, evenings""",
        ),
        (
            "performance",
            "managing performance",
            """underperform*, poor performance, performance, performing, perform, capability,
            improvement plan, appraisal*, probation*, disciplin*, sickness, return to work,
            lateness, unreliab*, mistakes in, error*, misses targets, missing targets, targets,
            standards, objectives, supervision, the minimum, slipped, conduct, rating,
            not meeting, quality of, coach*, underperforming, doing fine,
            skills have not kept up, poor attendance, under-perform*, poor work,
            pull* their weight, formal process, formal stage, attendance, sick*, time keeping,
            timekeeping, errors, failing, low perform*, poor perform*, kpi*, review meeting,
            standard of work, not good enough, competenc*, improvement, mistakes,
            set people up to fail, what good looks like, hits target, best performer, disengaged,
            written warning, getting in the way, never finishes""",
        ),
        (
            "change",
            "leading change",
            """change, changes, changing, resist*, resistance, transform*, on board, implement*,
            introduc*, embed*, pilot*, new system, system, digital*, rollout,
            new way* of working, ways of working, new process, adopt*, adopters, habit*, cynic*,
            skeptic*, backlash, reluctant, momentum, initiative*, culture change,
            performance framework, paperless, sustain*, new approach, consulted, programme,
            transition to, new triage, new assessment, new policies, revert*, campaigning,
            same as well, change management, transformation, modernis*, new ways, new software,
            digitis*, automat*, roll-out, go live, go-live, upgrade*, new technology, technology,
            new policy, policies, reform*, continuous improvement, lean, culture shift, mindset,
            status quo, comfort zone, new rota, new rostering, sabotag*, software, critics,
            switching, paper forms, tablets, old ways, procedure*""",
        ),
        (
            "budget",
            "budget cuts and savings",
            """budget*, saving*, cut, cuts, cutting, funding, funded, grant, grants, financ*, money,
            cost, costs, overspend*, deficit*, austerity, efficienc*, spend*, procurement,
            invests, pound*, million, overtime, commissioning, charging, forecast*, expenditure,
            no money, freeze posts, posts to freeze, bid for, underspend*, savings, pounds,
            affordab*, cash, income, revenue, value for money, fees, financial pressure*,
            cost pressure*, tender*, price*, balance the books""",
        ),
        (
            "recruitment",
            "recruitment and retention",
            """recruit*, retention, retain*, turnover, vacanc*, hiring, hired, applicant*,
            nobody applies, candidate*, shortlist*, advert*, resign*, exit interview*,
            stay interview*, induction, apprentic*, graduate*, talent, pipeline, succession,
            headhunt*, understaffed, salary, pay, pay more, pay rise, hard-to-fill, leave for,
            leaving for, lose people, losing staff, keep good, keep more people, good people,
            interview panel*, international recruitment, engaged so, do not leave, applications,
            application*, no applicants, unfilled, staff shortage*, short-staffed, short staffed,
            shortage*, churn, attrition, leavers, quit*, poach*, exodus, workforce planning,
            values-based recruitment, new hire*, grow our own, trainees, students, placements,
            employer brand, salar*, benefits package, keep staff, keeping staff, keep people,
            leave within, attract*, signing bonus, abroad, filling, staffing, retired staff,
            retirements, people stay, stay for""",
        ),
        (
            "collaboration",
            "working across teams",
            """collaborat*, partner*, partnership*, silo*, other team*, other teams, other office,
            other department*, another department, across departments, cross-functional,
            cross functional, joint, jointly, joined up, joining up, integrat*, work together,
            working together, cooperat*, coordinat*, handoff*, share information, data sharing,
            sharing agreement*, between teams, departments, agencies, supplier*, nhs,
            multidisciplinary, matrix, turf war*, peer manager, each other, blame each other,
            other directorates, two services, shared project, shared goal, shared safeguarding,
            round one table, voluntary sector, hoard*, compete for, cross-team,
            across organisations, across services, other services, another team,
            between services, interface*, system partners, alliance, alignment, common goal,
            same plan, us and them, them and us, finger pointing, blame, interdependen*,
            dependenc*, integration, multi-agency, multiagency, clash with, another region,
            help desk, enemy, rework, who decides, plan together, contractor*, scope,
            lost between, schools, organisations, single lead""",
        ),
        (
            "career",
            "career moves and development",
            """career*, next job, next five years, secondment*, sideways move, retirement,
            ambition*, mentor*, prospects, progression, professional development,
            development plan, stretch assignment, profile, applying for, applying for jobs,
            step down, stepping down, outgrown, own business, masters degree, degree,
            director post, senior leadership role, achievements, move into, move to, ready for,
            rejected at interview, my prospects, keep it, go back to practice, career change,
            next role, going for, job hunting, cv, linkedin, aspir*, fulfil*, part time,
            part-time, progress*, my development, develop my, qualification*, study, studying,
            leadership programme, move on, freelance, self-employed, consultancy,
            change direction, bigger team, relocating, same grade, grade, opportunit*,
            wanted promotion, applying and failing, job offer, competitor, loyalty""",
        ),
        (
            "wellbeing",
            "wellbeing and burnout",
            """wellbeing, well-being, burnt, burned out, burn out, stress*, exhaust*, fatigue,
            sleep*, anxiety, mental health, depress*, resilien*, rest, holiday*, boundar*,
            switch off, isolat*, lonely, trauma*, traumatic, compassion fatigue, health,
            self-care, signed off, sick leave, worry*, worrying, empty cup, asking for help,
            ask for help, psychological safety, emotional, toll, death, caring for, carer*,
            struggling with, overload, walk at lunchtime, nobody to talk, three in the morning,
            look after, burn*, insomnia, physical health, time off, annual leave, work-life,
            work life, look after myself, frightened, scared, abuse, bereave*, died, coping,
            short-tempered, emotional*, lonel*, wellness, occupational health,
            employee assistance, counsell*, therapy, run down, headache*, stabbing, shaken,
            cheerful, feel low, working late, miscarriage, laughed, symptoms, concentration,
            really are, crisis mode, wearing, guilt, bad day""",
        ),
        (
            "new_role",
            "new in role",
            """new manager, new role, new job, new post, new boss, new to, newly appointed,
            first ninety days, first 90 days, first month, first week, first team, first budget,
            stepping up, step up, promoted, imposter, impostor, inherit*, previous manager,
            replaced, finding my feet, ex-colleague*, managing friends, former peer*, old job,
            still learning, credibility, as the new, new deputy, new senior, new leadership,
            joining a, taking over a, management training, prove myself, new workplace,
            new management, who is who, in my first, their line manager, new director,
            new in post, new in role, new to the, new to management, newly promoted,
            recently promoted, recently appointed, just started, first few, first 100 days,
            second week, weeks in, months in, settling in, getting to know, former manager,
            internal promotion, former colleagues, learning curve, took over, new team,
            arrived as, introduce myself, did not choose me, shop floor, becoming a manager,
            older staff, first impressions, acting director, short notice, brand new team""",
        ),
        (
            "hybrid",
            "hybrid and remote working",
            """hybrid, remote*, remotely, from home, home working, the office, office attendance,
            online, virtual*, zoom, camera*, time zone*, distributed, at a distance, in-person,
            hot desk*, anchor day, spread across, working from home, work from home, monitoring,
            surveillance, on teams, written updates, performance monitoring, home work*,
            work* from home, wfh, in the office, back to the office, return to office,
            face to face, face-to-face, screen*, dispersed, geograph*, location*, connection,
            disconnected, teams call*, campus, people i see, at home, sense of team""",
        ),
        (
            "listening",
            "listening and questioning",
            """question*, listen*, open question*, closed question*, curiosity, silence, pause*,
            pausing, presenter*, advice, jump to solution*, solutions, in the set, the set,
            action learning, reflecting back, reflect* back, judg*, fix things, urge to fix,
            rescuing the, reply, hold back, questioning, advise, set member*, reflect*, answer*,
            insight*, probing, probe, empath*, attention, attentive, really listen, nodding,
            heard a word, understood, offering a solution, solution, feelings, facts,
            hear problems""",
        ),
        (
            "inclusion",
            "equality, diversity and inclusion",
            """diversity, diverse, inclusion, inclusive, equalit*, equity, racism, racial, gender,
            only woman, disabilit*, neurodiver*, discriminat*, microaggression*, women, ethnic*,
            minorit*, lgbt*, accessib*, reasonable adjustment*, menopause, autis*, dyslexi*,
            adhd, disabled, equal*""",
        ),
        (
            "decisions",
            "decisions and uncertainty",
            """decision-making, decision making, ambiguity, ambiguous, uncertain*, risk appetite,
            dilemma*, trade-off*, trade off""",
        ),
    )
)

# Phrases that only block shorter terms from matching inside them.
IGNORED: tuple[str, ...] = (
    "how do i",
    "first time",
)

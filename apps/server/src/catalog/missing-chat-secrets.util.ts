import type { Catalog, ChatTarget } from '@burnrate/catalog';

/**
 * One line per chat destination, of a team or a service, whose URL or bot token variable is
 * unset: found at load, not at 3 a.m. Teams come first, then services, each in catalog order.
 */
export function missingChatVariables(catalog: Catalog, set: ReadonlySet<string>): string[] {
  const owners: [string, ChatTarget[]][] = [
    ...catalog.teams.map((t): [string, ChatTarget[]] => [`team ${t.name}`, t.chat]),
    ...catalog.services.map((s): [string, ChatTarget[]] => [`service ${s.name}`, s.chat]),
  ];
  return owners.flatMap(([owner, chat]) =>
    chat.flatMap((target, index) => {
      const [what, name] =
        target.urlFromEnv !== undefined
          ? ['its URL', target.urlFromEnv]
          : target.tokenFromEnv !== undefined
            ? ['its bot token', target.tokenFromEnv]
            : [];
      return name !== undefined && !set.has(name)
        ? [
            `${owner}: chat[${index}] (${target.type}) takes ${what} from ${name}, which is not set: nothing can be sent there`,
          ]
        : [];
    }),
  );
}

// SPDX-License-Identifier: Apache-2.0
// ts_sdk.mjs - Spotify's official TypeScript SDK (@spotify/web-api-ts-sdk)
// against the emulator: every method of every endpoint group, the catalog
// ones with a client-credentials token (obtained by the SDK's own
// ClientCredentialsStrategy from the emulator's /api/token) and again with
// a user token, the user ones with the user token. Each result must have
// the shape the SDK's types declare.
import { SpotifyApi } from '@spotify/web-api-ts-sdk';

import { ID, JPEG_B64, Ledger, is } from './harness.mjs';

// The SDK reports a failed call as Error("Unrecognised response code: 400 -
// Bad Request. Body: {...}"); status and Spotify's message from it.
function errorOf(e) {
  const m = /response code: (\d+)[^]*?Body: (.*)$/s.exec(String(e && e.message));
  if (!m) return { status: 0, message: String(e) };
  try {
    return { status: Number(m[1]), message: JSON.parse(m[2]).error.message };
  } catch {
    return { status: Number(m[1]), message: m[2] };
  }
}

// Catalog, search and browse: any token.
async function catalog(api, L, auth) {
  const c = (name, fn, shape) => L.call(`${name} (${auth})`, fn, shape);
  await c('albums.get', () => api.albums.get(ID.album, 'SE'), is.fullAlbum);
  await c('albums.get[]', () => api.albums.get([ID.album, ID.album2]),
    (a) => a.length === 2 && a.every(is.fullAlbum));
  await c('albums.tracks', () => api.albums.tracks(ID.album, 'SE', 5, 5),
    (p) => is.page(p, is.simpleTrack) && p.items.length === 5);
  await c('artists.get', () => api.artists.get(ID.artist), is.fullArtist);
  await c('artists.get[]', () => api.artists.get([ID.artist, ID.artist2]),
    (a) => a.length === 2 && a.every(is.fullArtist));
  await c('artists.albums', () => api.artists.albums(ID.artist, 'album,single', 'SE', 10, 0),
    (p) => is.page(p, is.album) && p.items.length > 0);
  await c('artists.topTracks', () => api.artists.topTracks(ID.artist, 'SE'),
    (r) => Array.isArray(r.tracks) && r.tracks.length > 0 && r.tracks.every(is.simpleTrack));
  await c('artists.relatedArtists', () => api.artists.relatedArtists(ID.artist),
    (r) => Array.isArray(r.artists) && r.artists.length > 0 && r.artists.every(is.fullArtist));
  await c('audiobooks.get', () => api.audiobooks.get(ID.audiobook, 'US'), is.audiobook);
  await c('audiobooks.get[]', () => api.audiobooks.get([ID.audiobook], 'US'),
    (a) => a.length === 1 && is.audiobook(a[0]));
  await c('audiobooks.getAudiobookChapters',
    () => api.audiobooks.getAudiobookChapters(ID.audiobook, 'US', 2, 0),
    (p) => is.page(p, is.chapter));
  await c('browse.getCategories', () => api.browse.getCategories('SE', 'sv_SE', 5, 0),
    (r) => is.page(r.categories, is.category));
  await c('browse.getCategory', () => api.browse.getCategory(ID.category, 'SE', 'sv_SE'),
    is.category);
  await c('browse.getNewReleases', () => api.browse.getNewReleases('SE', 5, 0),
    (r) => is.page(r.albums, is.album) && r.albums.items.length === 5);
  await c('browse.getFeaturedPlaylists',
    () => api.browse.getFeaturedPlaylists('SE', 'sv_SE', '2024-01-01T09:00:00', 5, 0),
    (r) => typeof r.message === 'string' && is.page(r.playlists));
  await c('browse.getPlaylistsForCategory',
    () => api.browse.getPlaylistsForCategory(ID.category, 'SE', 5, 0),
    (r) => is.page(r.playlists));
  await c('chapters.get', () => api.chapters.get(ID.chapter, 'US'), is.chapter);
  await c('chapters.get[]', () => api.chapters.get([ID.chapter], 'US'),
    (a) => a.length === 1 && is.chapter(a[0]));
  await c('episodes.get', () => api.episodes.get(ID.episode, 'SE'), is.episode);
  await c('episodes.get[]', () => api.episodes.get([ID.episode], 'SE'),
    (a) => a.length === 1 && is.episode(a[0]));
  await c('recommendations.get',
    () => api.recommendations.get({ seed_artists: [ID.artist], seed_genres: ['hip-hop'], limit: 5 }),
    (r) => Array.isArray(r.seeds) && r.seeds.length === 2 && r.tracks.length === 5 &&
      r.tracks.every(is.simpleTrack));
  await c('recommendations.genreSeeds', () => api.recommendations.genreSeeds(),
    (r) => Array.isArray(r.genres) && r.genres.length > 50);
  await c('markets.getAvailableMarkets', () => api.markets.getAvailableMarkets(),
    (r) => Array.isArray(r.markets) && r.markets.includes('SE'));
  await c('search', () => api.search('kendrick lamar', ['track', 'album', 'artist'], 'SE', 10, 0),
    (r) => is.page(r.tracks, is.simpleTrack) && r.tracks.total === 16 &&
      r.albums.items[0].id === ID.album && r.artists.items[0].id === ID.artist);
  await c('search (every type)',
    () => api.search('the', ['album', 'artist', 'playlist', 'track', 'show', 'episode', 'audiobook'],
      undefined, 50, 0, 'audio'),
    (r) => ['albums', 'artists', 'playlists', 'tracks', 'shows', 'episodes', 'audiobooks']
      .every((k) => is.page(r[k])));
  await c('shows.get', () => api.shows.get(ID.show, 'SE'), is.show);
  await c('shows.get[]', () => api.shows.get([ID.show], 'SE'),
    (a) => a.length === 1 && is.show(a[0]));
  await c('shows.episodes', () => api.shows.episodes(ID.show, 'SE', 2, 1),
    (p) => is.page(p, is.episode) && p.items.length === 2);
  await c('tracks.get', () => api.tracks.get(ID.track, 'SE'),
    (t) => is.simpleTrack(t) && t.is_playable === true);
  await c('tracks.get[]', () => api.tracks.get([ID.track, ID.track2]),
    (a) => a.length === 2 && a.every(is.track));
  await c('tracks.audioFeatures', () => api.tracks.audioFeatures(ID.track), is.features);
  await c('tracks.audioFeatures[]', () => api.tracks.audioFeatures([ID.track, ID.track2]),
    (a) => a.length === 2 && a.every(is.features));
  await c('tracks.audioAnalysis', () => api.tracks.audioAnalysis(ID.track),
    (r) => r && r.track && Array.isArray(r.bars) && Array.isArray(r.segments));
  await c('users.profile', () => api.users.profile(ID.user), is.user);
  await c('playlists.getUsersPlaylists', () => api.playlists.getUsersPlaylists(ID.user, 10, 0),
    (p) => is.page(p, is.playlist) && p.items.length > 0);
}

// The user's own data: a user token.
async function user(api, L, emu) {
  const c = (name, fn, shape) => L.call(name, fn, shape);
  const refused = (name, fn, why) =>
    L.refused(name, fn, 400, 'Missing required field: ids', errorOf, why);
  const bare = 'the SDK sends a bare JSON array of ids, which Spotify refuses since 2024 ' +
    '(spotify-web-api-ts-sdk issue #131)';
  const me = await c('currentUser.profile', () => api.currentUser.profile(),
    (u) => is.user(u) && u.id === ID.user && u.email === 'demo-user@example.com');
  await c('currentUser.topItems(artists)',
    () => api.currentUser.topItems('artists', 'short_term', 5, 0), (p) => is.page(p, is.fullArtist));
  await c('currentUser.topItems(tracks)',
    () => api.currentUser.topItems('tracks', 'long_term', 5, 0), (p) => is.page(p, is.track));
  const followed = await c('currentUser.followedArtists', () => api.currentUser.followedArtists(undefined, 5),
    (r) => is.cursorPage(r.artists, is.fullArtist) && r.artists.items.length === 5);
  await c('currentUser.followedArtists(after)',
    () => api.currentUser.followedArtists(followed?.artists?.cursors?.after, 5),
    (r) => is.cursorPage(r.artists, is.fullArtist));
  await c('currentUser.unfollowArtistsOrUsers',
    () => api.currentUser.unfollowArtistsOrUsers([ID.artist], 'artist'), (r) => r === undefined);
  await c('currentUser.followsArtistsOrUsers',
    () => api.currentUser.followsArtistsOrUsers([ID.artist], 'artist'),
    (r) => is.bools(r, 1) && r[0] === false);
  await c('currentUser.followArtistsOrUsers',
    () => api.currentUser.followArtistsOrUsers([ID.artist], 'artist'), (r) => r === undefined);
  await c('currentUser.followArtistsOrUsers(user)',
    () => api.currentUser.followArtistsOrUsers([ID.otherUser], 'user'), (r) => r === undefined);
  await c('currentUser.followsArtistsOrUsers(user)',
    () => api.currentUser.followsArtistsOrUsers([ID.otherUser], 'user'),
    (r) => is.bools(r, 1) && r[0] === true);
  await c('currentUser.unfollowArtistsOrUsers(user)',
    () => api.currentUser.unfollowArtistsOrUsers([ID.otherUser], 'user'), (r) => r === undefined);

  await c('currentUser.albums.savedAlbums', () => api.currentUser.albums.savedAlbums(5, 0, 'SE'),
    (p) => is.page(p, (i) => typeof i.added_at === 'string' && is.fullAlbum(i.album)));
  await refused('currentUser.albums.saveAlbums', () => api.currentUser.albums.saveAlbums([ID.album]), bare);
  await refused('currentUser.albums.removeSavedAlbums',
    () => api.currentUser.albums.removeSavedAlbums([ID.album]), bare);
  await c('currentUser.albums.hasSavedAlbums', () => api.currentUser.albums.hasSavedAlbums([ID.album]),
    (r) => is.bools(r, 1));
  // The SDK types the items as SimplifiedAudiobook; Spotify sends
  // {added_at, audiobook} (SavedAudiobookObject in the specification, which
  // follows real answers), and so does the emulator.
  await c('currentUser.audiobooks.savedAudiobooks', () => api.currentUser.audiobooks.savedAudiobooks(5, 0),
    (p) => is.page(p, (i) => typeof i.added_at === 'string' && is.audiobook(i.audiobook)));
  await refused('currentUser.audiobooks.saveAudiobooks',
    () => api.currentUser.audiobooks.saveAudiobooks([ID.audiobook]), bare);
  await refused('currentUser.audiobooks.removeSavedAudiobooks',
    () => api.currentUser.audiobooks.removeSavedAudiobooks([ID.audiobook]), bare);
  await c('currentUser.audiobooks.hasSavedAudiobooks',
    () => api.currentUser.audiobooks.hasSavedAudiobooks([ID.audiobook]), (r) => is.bools(r, 1));
  await c('currentUser.episodes.savedEpisodes', () => api.currentUser.episodes.savedEpisodes('SE', 5, 0),
    (p) => is.page(p, (i) => typeof i.added_at === 'string' && is.episode(i.episode)));
  await refused('currentUser.episodes.saveEpisodes',
    () => api.currentUser.episodes.saveEpisodes([ID.episode]), bare);
  await refused('currentUser.episodes.removeSavedEpisodes',
    () => api.currentUser.episodes.removeSavedEpisodes([ID.episode]), bare);
  await c('currentUser.episodes.hasSavedEpisodes',
    () => api.currentUser.episodes.hasSavedEpisodes([ID.episode]), (r) => is.bools(r, 1));
  await c('currentUser.shows.savedShows', () => api.currentUser.shows.savedShows(5, 0),
    (p) => is.page(p, (i) => typeof i.added_at === 'string' && is.show(i.show)));
  await c('currentUser.shows.removeSavedShows',
    () => api.currentUser.shows.removeSavedShows([ID.show], 'SE'), (r) => r === null);
  await c('currentUser.shows.hasSavedShow', () => api.currentUser.shows.hasSavedShow([ID.show]),
    (r) => is.bools(r, 1) && r[0] === false);
  await c('currentUser.shows.saveShows', () => api.currentUser.shows.saveShows([ID.show]),
    (r) => r === null);
  await c('currentUser.tracks.savedTracks', () => api.currentUser.tracks.savedTracks(50, 100, 'SE'),
    (p) => is.page(p, (i) => typeof i.added_at === 'string' && is.simpleTrack(i.track)) &&
      p.total === 137 && p.items.length === 37);
  await refused('currentUser.tracks.saveTracks', () => api.currentUser.tracks.saveTracks([ID.track]), bare);
  await refused('currentUser.tracks.removeSavedTracks',
    () => api.currentUser.tracks.removeSavedTracks([ID.track]), bare);
  await c('currentUser.tracks.hasSavedTracks',
    () => api.currentUser.tracks.hasSavedTracks([ID.track, ID.track2]), (r) => is.bools(r, 2));

  // playlists
  const mine = await c('currentUser.playlists.playlists', () => api.currentUser.playlists.playlists(50, 0),
    (p) => is.page(p, is.playlist) && p.items.length >= 3);
  const created = await c('playlists.createPlaylist',
    () => api.playlists.createPlaylist(me?.id ?? ID.user,
      { name: 'TS SDK', public: true, description: 'made by @spotify/web-api-ts-sdk' }),
    (p) => is.playlist(p) && p.name === 'TS SDK' && p.public === true);
  const pl = created?.id;
  await c('playlists.addItemsToPlaylist',
    () => api.playlists.addItemsToPlaylist(pl, [`spotify:track:${ID.track}`,
      `spotify:track:${ID.track2}`, `spotify:track:${ID.track}`]), (r) => r === undefined);
  await c('playlists.getPlaylist',
    () => api.playlists.getPlaylist(pl, 'SE', undefined, ['track', 'episode']),
    (p) => is.playlist(p) && p.tracks.total === 3);
  await c('playlists.getPlaylistItems',
    () => api.playlists.getPlaylistItems(pl, 'SE', undefined, 50, 0, ['track']),
    (p) => is.page(p, (i) => typeof i.added_at === 'string' && is.simpleTrack(i.track)) &&
      p.total === 3);
  await c('playlists.changePlaylistDetails',
    () => api.playlists.changePlaylistDetails(pl, { name: 'TS SDK, renamed', collaborative: false }),
    (r) => r === undefined);
  await c('playlists.movePlaylistItems', () => api.playlists.movePlaylistItems(pl, 0, 1, 2),
    is.snapshot);
  await c('playlists.updatePlaylistItems',
    () => api.playlists.updatePlaylistItems(pl, { uris: [`spotify:track:${ID.track2}`,
      `spotify:track:${ID.track}`] }), is.snapshot);
  await c('playlists.removeItemsFromPlaylist',
    () => api.playlists.removeItemsFromPlaylist(pl, { tracks: [{ uri: `spotify:track:${ID.track}` }] }),
    (r) => r === undefined);
  await c('playlists.addCustomPlaylistCoverImageFromBase64String',
    () => api.playlists.addCustomPlaylistCoverImageFromBase64String(pl, JPEG_B64),
    (r) => r === undefined);
  await c('playlists.addCustomPlaylistCoverImage',
    () => api.playlists.addCustomPlaylistCoverImage(pl, Buffer.from(JPEG_B64, 'base64')),
    (r) => r === undefined);
  await c('playlists.getPlaylistCoverImage', () => api.playlists.getPlaylistCoverImage(pl),
    (a) => Array.isArray(a) && a.length > 0 && a.every(is.image));
  const other = (mine?.items ?? []).find((p) => p.owner.id === ID.user)?.id;
  await c('currentUser.playlists.isFollowing',
    () => api.currentUser.playlists.isFollowing(other, [ID.user]), (r) => is.bools(r, 1) && r[0]);
  await c('currentUser.playlists.unfollow', () => api.currentUser.playlists.unfollow(other),
    (r) => r === undefined);
  await c('currentUser.playlists.follow', () => api.currentUser.playlists.follow(other),
    (r) => r === undefined);

  // player: an idle player with two devices; transfer activates one
  const devices = await c('player.getAvailableDevices', () => api.player.getAvailableDevices(),
    (r) => Array.isArray(r.devices) && r.devices.length === 2 && r.devices.every(is.device));
  const device = devices?.devices?.[0]?.id;
  await c('player.getPlaybackState (idle)', () => api.player.getPlaybackState(), (r) => r === null);
  await c('player.transferPlayback', () => api.player.transferPlayback([device], false),
    (r) => r === undefined);
  await c('player.startResumePlayback',
    () => api.player.startResumePlayback(device, `spotify:album:${ID.album}`, undefined,
      { position: 2 }, 1000), (r) => r === undefined);
  await c('player.getPlaybackState', () => api.player.getPlaybackState('SE', 'episode'),
    (r) => r && r.is_playing === true && r.device.id === device && is.simpleTrack(r.item));
  await c('player.getCurrentlyPlayingTrack',
    () => api.player.getCurrentlyPlayingTrack('SE', 'track'),
    (r) => r && is.simpleTrack(r.item) && r.item.id === ID.track2);
  await c('player.addItemToPlaybackQueue',
    () => api.player.addItemToPlaybackQueue(`spotify:track:${ID.track}`, device),
    (r) => r === undefined);
  await c('player.getUsersQueue', () => api.player.getUsersQueue(),
    (r) => is.simpleTrack(r.currently_playing) && Array.isArray(r.queue) && r.queue[0].id === ID.track);
  await c('player.skipToNext', () => api.player.skipToNext(device), (r) => r === undefined);
  await c('player.skipToPrevious', () => api.player.skipToPrevious(device), (r) => r === undefined);
  await c('player.seekToPosition', () => api.player.seekToPosition(5000, device),
    (r) => r === undefined);
  await c('player.setRepeatMode', () => api.player.setRepeatMode('context', device),
    (r) => r === undefined);
  await c('player.setPlaybackVolume', () => api.player.setPlaybackVolume(40, device),
    (r) => r === undefined);
  await c('player.togglePlaybackShuffle', () => api.player.togglePlaybackShuffle(true, device),
    (r) => r === undefined);
  await c('player.pausePlayback', () => api.player.pausePlayback(device), (r) => r === undefined);
  await c('player.getRecentlyPlayedTracks',
    () => api.player.getRecentlyPlayedTracks(10),
    (r) => is.cursorPage(r, (i) => typeof i.played_at === 'string' && is.simpleTrack(i.track)) &&
      r.items.length >= 2);
  await c('player.getRecentlyPlayedTracks(before)',
    () => api.player.getRecentlyPlayedTracks(10, { type: 'before', timestamp: Date.now() + 60000 }),
    (r) => is.cursorPage(r) && r.items.length >= 2);
  await emu.reset();
}

export async function runTsSdk(emu) {
  const L = new Ledger('@spotify/web-api-ts-sdk');
  // client credentials, through the SDK's own strategy and the emulator's /api/token
  const app = SpotifyApi.withClientCredentials('demo-client', 'demo-secret');
  await catalog(app, L, 'client credentials');
  const token = await emu.userToken();
  const api = SpotifyApi.withAccessToken('demo-client', { ...token, expires: Date.now() + 3600e3 });
  await catalog(api, L, 'user token');
  await user(api, L, emu);
  L.skip('SpotifyApi.withUserAuthorization / performUserAuthorization / withImplicitGrant',
    'browser flows: they redirect document.location and keep the verifier in localStorage ' +
    '(the emulator\'s /authorize and PKCE are run by spotify-web-api-node and the C SDK\'s tests)');
  return L.report();
}

"use client";
import { PeoplePage } from "../people-page";

export default function FollowersPage() {
  return <PeoplePage which="followers" />;
}
